using System.Text.RegularExpressions;

namespace PromptKit.Samples.PromptInternalization;

/// <summary>The compression baseline: an extractive compressor that keeps the prompt's most informative sentences
/// (summed inverse sentence frequency of their words) up to a token budget, in their original order.</summary>
internal static partial class PromptCompressor
{
    public static string Compress(string prompt, int tokenBudget, Func<string, int> countTokens)
    {
        string[] sentences = [.. Sentence().Split(prompt.Replace('\n', ' ')).Select(static s => s.Trim()).Where(static s => s.Length > 0)];
        var documentFrequency = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string[][] words = [.. sentences.Select(s => Word().Matches(s).Select(static m => m.Value.ToLowerInvariant()).Distinct().ToArray())];
        foreach (string word in words.SelectMany(static w => w))
        {
            documentFrequency[word] = documentFrequency.GetValueOrDefault(word) + 1;
        }

        double[] scores = [.. words.Select(w => w.Sum(word => Math.Log((double)sentences.Length / documentFrequency[word])))];
        var kept = new SortedSet<int>();
        int used = 0;
        foreach (int index in Enumerable.Range(0, sentences.Length).OrderByDescending(i => scores[i]))
        {
            int cost = countTokens(sentences[index] + " ");
            if (used + cost <= tokenBudget)
            {
                kept.Add(index);
                used += cost;
            }
        }

        return string.Join(' ', kept.Select(i => sentences[i]));
    }

    [GeneratedRegex(@"(?<=[.:;])\s+")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
