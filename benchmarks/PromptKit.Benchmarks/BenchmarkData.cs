namespace PromptKit.Benchmarks;

/// <summary>Deterministic synthetic inputs of realistic shape for the metric benchmarks.</summary>
public static class BenchmarkData
{
    /// <summary>The number of sentence pairs the text-metric benchmarks score.</summary>
    public const int PairCount = 10_000;

    /// <summary>The number of words in each generated reference sentence (before punctuation).</summary>
    public const int TokensPerSentence = 30;

    /// <summary>The number of ranked lists the NDCG benchmark scores.</summary>
    public const int ListCount = 100_000;

    /// <summary>The number of items in each ranked list.</summary>
    public const int ListLength = 100;

    private static readonly string[] Vocabulary = BuildVocabulary();

    /// <summary>Creates <paramref name="count"/> hypothesis/reference pairs of about <paramref name="tokens"/> tokens, the hypothesis a perturbed copy of the reference.</summary>
    public static (string[] Hypotheses, string[] References) SentencePairs(int count, int tokens, int seed = 42)
    {
        var random = new Random(seed);
        string[] hypotheses = new string[count];
        string[] references = new string[count];
        var words = new List<string>(tokens + 4);
        for (int i = 0; i < count; i++)
        {
            words.Clear();
            for (int t = 0; t < tokens; t++)
            {
                words.Add(Vocabulary[random.Next(Vocabulary.Length)]);
            }

            references[i] = Capitalize(string.Join(' ', words)) + ".";
            for (int t = 0; t < words.Count; t++)
            {
                double u = random.NextDouble();
                if (u < 0.15)
                {
                    words[t] = Vocabulary[random.Next(Vocabulary.Length)];
                }
                else if (u < 0.20 && t + 1 < words.Count)
                {
                    (words[t], words[t + 1]) = (words[t + 1], words[t]);
                }
            }

            hypotheses[i] = Capitalize(string.Join(' ', words)) + (random.Next(2) == 0 ? "." : " !");
        }

        return (hypotheses, references);
    }

    /// <summary>
    /// Creates <paramref name="count"/> lists of <paramref name="length"/> items, flattened list after list: graded
    /// relevances 0 to 3 (most items irrelevant) and model scores that correlate with them, rounded to two decimals so
    /// that some scores tie.
    /// </summary>
    public static (double[] Scores, double[] Relevances) RankingLists(int count, int length, int seed = 42)
    {
        var random = new Random(seed);
        double[] scores = new double[count * length];
        double[] relevances = new double[count * length];
        for (int i = 0; i < scores.Length; i++)
        {
            double u = random.NextDouble();
            double grade = u < 0.70 ? 0.0 : u < 0.90 ? 1.0 : u < 0.97 ? 2.0 : 3.0;
            double noise = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            relevances[i] = grade;
            scores[i] = Math.Round((0.8 * grade) + noise, 2);
        }

        return (scores, relevances);
    }

    /// <summary>Returns the relevances of each list sorted by descending score (ties keep their item order).</summary>
    public static double[] RankByScore(double[] scores, double[] relevances, int length)
    {
        double[] ranked = new double[relevances.Length];
        int[] order = new int[length];
        double[] keys = new double[length];
        for (int start = 0; start < relevances.Length; start += length)
        {
            for (int j = 0; j < length; j++)
            {
                order[j] = j;
                keys[j] = scores[start + j];
            }

            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
            for (int j = 0; j < length; j++)
            {
                ranked[start + j] = relevances[start + order[j]];
            }
        }

        return ranked;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string[] BuildVocabulary()
    {
        string[] stems = ["learn", "prompt", "model", "train", "user", "rank", "movie", "score", "policy", "reward", "agent", "state",
            "value", "token", "write", "read", "generate", "personal", "history", "format", "reason", "guide", "role", "play"];
        string[] suffixes = ["", "s", "ing", "ed", "er", "ation", "ly", "ness"];
        string[] extra = ["the", "a", "of", "to", "and", "in", "for", "with", "on", "is", "it", "we", "(", ")", ",", "3.14", "don't", "U.S."];
        var list = new List<string>();
        foreach (string stem in stems)
        {
            foreach (string suffix in suffixes)
            {
                list.Add(stem + suffix);
            }
        }

        list.AddRange(extra);
        list.AddRange(extra);
        list.AddRange(extra);
        return [.. list];
    }
}
