namespace PromptKit.Samples.QuickStart;

/// <summary>Tiny word statistics for building personalized prompts: content words, document frequencies, TF-IDF.</summary>
internal sealed class TextFeatures
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "with", "by", "we", "our", "is", "are", "be", "as",
        "this", "that", "these", "those", "it", "its", "at", "from", "which", "can", "also", "has", "have", "was", "were",
        "paper", "show", "shows", "study", "studied", "prove", "present", "give", "given", "some", "such", "their", "there",
        "into", "than", "then", "them", "they", "not", "but", "all", "any", "one", "two", "new", "using", "used", "use",
        "based", "well", "more", "most", "both", "between", "under", "other", "only", "may", "if", "when", "where", "how",
        "his", "her", "he", "she", "i", "will", "been", "being", "each", "so", "via", "let", "over", "no", "up",
    };

    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly int _documentCount;

    public TextFeatures(IEnumerable<string> corpus)
    {
        foreach (string document in corpus)
        {
            _documentCount++;
            foreach (string word in Words(document).Distinct(StringComparer.Ordinal))
            {
                _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
            }
        }
    }

    /// <summary>Lower-case content words (letters and digits, length ≥ 3, no stop words).</summary>
    public static IEnumerable<string> Words(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                string word = text[start..i].ToLowerInvariant();
                start = -1;
                if (word.Length >= 3 && !StopWords.Contains(word) && !word.All(char.IsDigit))
                {
                    yield return word;
                }
            }
        }
    }

    public double Idf(string word) => Math.Log((1.0 + _documentCount) / (1.0 + _documentFrequency.GetValueOrDefault(word))) + 1.0;

    public Dictionary<string, double> Vector(string text)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string word in Words(text))
        {
            vector[word] = vector.GetValueOrDefault(word) + 1.0;
        }

        foreach (string word in vector.Keys.ToList())
        {
            vector[word] *= Idf(word);
        }

        return vector;
    }

    public static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0, na = 0, nb = 0;
        foreach ((string word, double x) in a)
        {
            na += x * x;
            if (b.TryGetValue(word, out double y))
            {
                dot += x * y;
            }
        }

        foreach (double y in b.Values)
        {
            nb += y * y;
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>The <paramref name="count"/> words with the highest summed TF-IDF over <paramref name="documents"/>.</summary>
    public IReadOnlyList<string> Keywords(IEnumerable<string> documents, int count)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string document in documents)
        {
            foreach ((string word, double weight) in Vector(document))
            {
                scores[word] = scores.GetValueOrDefault(word) + weight;
            }
        }

        return [.. scores.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).Select(p => p.Key)];
    }

    /// <summary>Splits text into sentences at '.', '!' or '?' followed by whitespace.</summary>
    public static IReadOnlyList<string> Sentences(string text)
    {
        var sentences = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                string sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    sentences.Add(sentence);
                }

                start = i + 1;
            }
        }

        string rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            sentences.Add(rest);
        }

        return sentences;
    }
}
