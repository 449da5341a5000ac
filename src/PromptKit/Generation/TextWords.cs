using System.Collections.Frozen;

namespace PromptKit;

/// <summary>Word tokenization and English stop words shared by the generation helpers.</summary>
/// <remarks>Words are maximal runs of letters or digits, lower-cased with the invariant culture, as in
/// <see cref="HashedTextEncoder"/>.</remarks>
internal static class TextWords
{
    /// <summary>English function words (the scikit-learn / Glasgow list, trimmed to words that carry no topic).</summary>
    public static readonly FrozenSet<string> StopWords = FrozenSet.ToFrozenSet(
    [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone", "along",
        "already", "also", "although", "always", "am", "among", "amongst", "an", "and", "another", "any", "anyhow",
        "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "be", "became", "because", "become",
        "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below", "beside", "besides", "between",
        "beyond", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "due",
        "during", "each", "eg", "either", "else", "elsewhere", "enough", "et", "etc", "even", "ever", "every", "everyone",
        "everything", "everywhere", "except", "few", "for", "former", "formerly", "from", "further", "had", "has", "have",
        "having", "he", "hence", "her", "here", "hereafter", "hereby", "herein", "hereupon", "hers", "herself", "him",
        "himself", "his", "how", "however", "i", "ie", "if", "in", "indeed", "into", "is", "it", "its", "itself", "just",
        "last", "latter", "latterly", "least", "less", "many", "may", "me", "meanwhile", "might", "more", "moreover",
        "most", "mostly", "much", "must", "my", "myself", "namely", "neither", "never", "nevertheless", "next", "no",
        "nobody", "none", "noone", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one",
        "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per",
        "perhaps", "rather", "same", "seem", "seemed", "seeming", "seems", "several", "she", "should", "since", "so",
        "some", "somehow", "someone", "something", "sometime", "sometimes", "somewhere", "still", "such", "than", "that",
        "the", "their", "theirs", "them", "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore",
        "therein", "thereupon", "these", "they", "this", "those", "though", "through", "throughout", "thru", "thus", "to",
        "together", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well",
        "were", "what", "whatever", "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby", "wherein",
        "whereupon", "wherever", "whether", "which", "while", "whither", "who", "whoever", "whole", "whom", "whose", "why",
        "will", "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
    ], StringComparer.Ordinal);

    /// <summary>Appends the lower-cased words of <paramref name="text"/> to <paramref name="words"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="words">Receives the words.</param>
    /// <param name="markBreaks">Whether to append an empty string where punctuation other than a hyphen or an apostrophe separates two words, so that phrases do not run across it, and to leave out LaTeX command names (a word right after <c>\</c>, such as <c>hat</c> in <c>\hat</c>).</param>
    public static void AddWords(string text, List<string> words, bool markBreaks = false)
    {
        int i = 0;
        while (i < text.Length)
        {
            bool isBreak = false;
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                isBreak |= !char.IsWhiteSpace(text[i]) && text[i] is not ('-' or '\'' or '\u2019');
                i++;
            }

            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (markBreaks && i > start && start > 0 && text[start - 1] == '\\')
            {
                if (words.Count > 0)
                {
                    words.Add(string.Empty);
                }

                continue;
            }

            if (i > start)
            {
                if (markBreaks && isBreak && words.Count > 0)
                {
                    words.Add(string.Empty);
                }

                words.Add(text[start..i].ToLowerInvariant());
            }
        }
    }

    /// <summary>Whether <paramref name="word"/> (lower-cased) can carry a topic: not a stop word, at least two characters, and holding a letter.</summary>
    public static bool IsContentWord(string word)
    {
        if (word.Length < 2 || StopWords.Contains(word))
        {
            return false;
        }

        foreach (char c in word)
        {
            if (char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws when <paramref name="items"/> is <see langword="null"/> or holds <see langword="null"/>.</summary>
    public static void ThrowIfNullOrHasNull<T>(IReadOnlyList<T> items, string paramName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentException($"The item at index {i} is null.", paramName);
            }
        }
    }
}
