using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>Describes a user's writing style in one line, from properties measured on their past documents.</summary>
/// <remarks>
/// <para>Measured on each document's text (titles are not used), with <see cref="SentenceSplitter"/> for sentences:</para>
/// <list type="bullet">
/// <item><description>Length: the median number of sentences and of words per document (a word is a white-space
/// separated token holding a letter or digit; an even count takes the upper median). Words are rounded to the nearest 10
/// from 50 words up.</description></item>
/// <item><description>Voice: the share of documents using a first-person plural word (<c>we</c>, <c>our</c>, <c>us</c>,
/// <c>ours</c>, <c>ourselves</c>) or a first-person singular word (<c>I</c>, <c>my</c>, <c>me</c>, <c>mine</c>,
/// <c>myself</c>). Half or more with plural → <c>in the first person plural ("we")</c>; otherwise half or more with
/// singular → <c>in the first person singular ("I")</c>; otherwise <c>in an impersonal voice</c>.</description></item>
/// <item><description>Formulas: the share of sentences holding <c>$</c>, a LaTeX command (<c>\</c> followed by a letter)
/// or <c>=</c>. None → nothing is said; below 10% → <c>rarely with formulas</c>; else <c>with formulas in about N% of
/// sentences</c>.</description></item>
/// <item><description>Opening: the most frequent first word (compared case-insensitively, written as first seen; ties
/// go to the word seen first). With one document → <c>opening with "X"</c>; when that word opens at least two
/// documents and at least 30% of them → <c>often opening with "X"</c>; otherwise <c>with varied openings</c>.</description></item>
/// </list>
/// <para>Example: <c>Writes abstracts of about 5 sentences and 120 words, in the first person plural ("we"), often
/// opening with "We".</c> Deterministic and thread-safe.</para>
/// </remarks>
public static class WritingStyle
{
    private static readonly string[] FirstPersonPlural = ["we", "our", "us", "ours", "ourselves"];
    private static readonly string[] FirstPersonSingular = ["i", "my", "me", "mine", "myself"];

    /// <summary>Describes the writing style of <paramref name="pastDocuments"/> in one sentence.</summary>
    /// <param name="pastDocuments">The user's past documents; at least one.</param>
    /// <returns>One line, ending with a period.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pastDocuments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pastDocuments"/> is empty or contains <see langword="null"/>.</exception>
    public static string Describe(IReadOnlyList<UserDocument> pastDocuments)
    {
        UserDocuments.ThrowIfNullOrEmpty(pastDocuments, nameof(pastDocuments));

        int n = pastDocuments.Count;
        int[] sentenceCounts = new int[n];
        int[] wordCounts = new int[n];
        int pluralDocuments = 0;
        int singularDocuments = 0;
        int sentences = 0;
        int formulaSentences = 0;
        var openings = new List<(string Word, int Count)>();
        var words = new List<string>();
        for (int d = 0; d < n; d++)
        {
            string text = pastDocuments[d].Text;
            foreach (string sentence in SentenceSplitter.Split(text))
            {
                sentenceCounts[d]++;
                sentences++;
                if (HasFormula(sentence))
                {
                    formulaSentences++;
                }
            }

            wordCounts[d] = CountWords(text);
            words.Clear();
            TextWords.AddWords(text, words);
            pluralDocuments += ContainsAny(words, FirstPersonPlural) ? 1 : 0;
            singularDocuments += ContainsAny(words, FirstPersonSingular) ? 1 : 0;
            string? opening = FirstWord(text);
            if (opening is not null)
            {
                int index = openings.FindIndex(o => string.Equals(o.Word, opening, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    openings.Add((opening, 1));
                }
                else
                {
                    openings[index] = (openings[index].Word, openings[index].Count + 1);
                }
            }
        }

        int medianSentences = UpperMedian(sentenceCounts);
        int medianWords = UpperMedian(wordCounts);
        if (medianWords >= 50)
        {
            medianWords = (int)Math.Round(medianWords / 10.0, MidpointRounding.AwayFromZero) * 10;
        }

        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"Writes abstracts of about {medianSentences} {(medianSentences == 1 ? "sentence" : "sentences")} and {medianWords} {(medianWords == 1 ? "word" : "words")}, ");
        line.Append(2 * pluralDocuments >= n ? "in the first person plural (\"we\")"
            : 2 * singularDocuments >= n ? "in the first person singular (\"I\")"
            : "in an impersonal voice");

        if (formulaSentences > 0)
        {
            double share = (double)formulaSentences / sentences;
            line.Append(share < 0.1
                ? ", rarely with formulas"
                : string.Create(CultureInfo.InvariantCulture, $", with formulas in about {Math.Round(share * 100.0, MidpointRounding.AwayFromZero)}% of sentences"));
        }

        (string Word, int Count) best = default;
        foreach ((string Word, int Count) opening in openings)
        {
            if (opening.Count > best.Count)
            {
                best = opening;
            }
        }

        if (best.Word is not null)
        {
            line.Append(n == 1 ? $", opening with \"{best.Word}\""
                : best.Count >= 2 && best.Count >= 0.3 * n ? $", often opening with \"{best.Word}\""
                : ", with varied openings");
        }

        return line.Append('.').ToString();
    }

    private static bool HasFormula(string sentence)
    {
        for (int i = 0; i < sentence.Length; i++)
        {
            char c = sentence[i];
            if (c is '$' or '=' || (c == '\\' && i + 1 < sentence.Length && char.IsLetter(sentence[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountWords(string text)
    {
        int count = 0;
        foreach (Range range in text.AsSpan().SplitAny(" \t\r\n\f\v"))
        {
            foreach (char c in text.AsSpan()[range])
            {
                if (char.IsLetterOrDigit(c))
                {
                    count++;
                    break;
                }
            }
        }

        return count;
    }

    private static bool ContainsAny(List<string> words, string[] targets)
    {
        foreach (string word in words)
        {
            if (Array.IndexOf(targets, word) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstWord(string text)
    {
        int start = 0;
        while (start < text.Length && !char.IsLetterOrDigit(text[start]))
        {
            start++;
        }

        int end = start;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '-' or '\''))
        {
            end++;
        }

        return end > start ? text[start..end] : null;
    }

    private static int UpperMedian(int[] values)
    {
        int[] sorted = (int[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
