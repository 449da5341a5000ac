namespace PromptKit.Benchmarks;

/// <summary>Deterministic synthetic inputs of realistic shape for the metric benchmarks.</summary>
public static class BenchmarkData
{
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
