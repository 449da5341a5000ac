using System.Collections.Frozen;
using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Extracts the TF-IDF keywords (unigrams and bigrams) of a few texts, with document frequencies from a background corpus.</summary>
/// <remarks>
/// <para>Terms: words are maximal runs of letters or digits, lower-cased (invariant). A unigram is a word that is not an
/// English stop word, has at least two characters and holds a letter; a bigram is two such words that are adjacent in
/// the text (nothing but white space, a hyphen or an apostrophe between them), written with one space:
/// <c>"neural network"</c>. LaTeX command names (the word right after a backslash, as <c>alpha</c> in <c>\alpha</c>) are
/// not terms.</para>
/// <para>Score of a term = tf × idf, where tf is the number of times it occurs in all the texts given to
/// <see cref="Extract"/> and idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smoothed idf), with N the number of
/// background documents and df the number of them that contain the term. A term unseen in the background gets the
/// largest idf. Ties are broken by the term's first occurrence in the texts, then ordinally, so results are
/// deterministic.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class KeywordExtractor
{
    private readonly FrozenDictionary<string, int> _documentFrequencies;

    /// <summary>Initializes a new instance of the <see cref="KeywordExtractor"/> class.</summary>
    /// <param name="backgroundDocuments">The background corpus, one text per document, from which document frequencies are counted; it may be empty (every term then gets the same idf).</param>
    /// <exception cref="ArgumentNullException"><paramref name="backgroundDocuments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="backgroundDocuments"/> contains <see langword="null"/>.</exception>
    public KeywordExtractor(IReadOnlyList<string> backgroundDocuments)
    {
        TextWords.ThrowIfNullOrHasNull(backgroundDocuments, nameof(backgroundDocuments));
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string document in backgroundDocuments)
        {
            seen.Clear();
            words.Clear();
            TextWords.AddWords(document, words, markBreaks: true);
            ForEachTerm(words, seen, static (term, set) => set.Add(term));
            foreach (string term in seen)
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            }
        }

        _documentFrequencies = frequencies.ToFrozenDictionary(StringComparer.Ordinal);
        DocumentCount = backgroundDocuments.Count;
    }

    /// <summary>Gets the number of background documents.</summary>
    public int DocumentCount { get; }

    /// <summary>Gets the smoothed inverse document frequency of <paramref name="term"/> in the background corpus.</summary>
    /// <param name="term">A lower-cased unigram or bigram (words joined by one space).</param>
    /// <returns>ln((1 + N) / (1 + df)) + 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="term"/> is <see langword="null"/>.</exception>
    public double InverseDocumentFrequency(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return Idf(_documentFrequencies.GetValueOrDefault(term));
    }

    /// <summary>Extracts the <paramref name="count"/> highest-scoring keywords of <paramref name="texts"/>.</summary>
    /// <param name="texts">The texts, for example a user's past documents; it may be empty.</param>
    /// <param name="count">The most keywords to return; positive.</param>
    /// <returns>Up to <paramref name="count"/> distinct keywords, best first (fewer when the texts hold fewer terms).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="texts"/> contains <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is zero or negative.</exception>
    public ImmutableArray<string> Extract(IReadOnlyList<string> texts, int count)
    {
        TextWords.ThrowIfNullOrHasNull(texts, nameof(texts));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        var termFrequencies = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (string text in texts)
        {
            words.Clear();
            TextWords.AddWords(text, words, markBreaks: true);
            ForEachTerm(words, termFrequencies, static (term, tf) =>
            {
                ref (int Count, int First) entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(tf, term, out bool exists);
                entry = exists ? (entry.Count + 1, entry.First) : (1, tf.Count - 1);
            });
        }

        var scored = new List<(string Term, double Score, int First)>(termFrequencies.Count);
        foreach (KeyValuePair<string, (int Count, int First)> pair in termFrequencies)
        {
            scored.Add((pair.Key, pair.Value.Count * Idf(_documentFrequencies.GetValueOrDefault(pair.Key)), pair.Value.First));
        }

        scored.Sort(static (x, y) =>
        {
            int byScore = y.Score.CompareTo(x.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            int byFirst = x.First.CompareTo(y.First);
            return byFirst != 0 ? byFirst : string.CompareOrdinal(x.Term, y.Term);
        });

        int n = Math.Min(count, scored.Count);
        var result = ImmutableArray.CreateBuilder<string>(n);
        for (int i = 0; i < n; i++)
        {
            result.Add(scored[i].Term);
        }

        return result.MoveToImmutable();
    }

    private double Idf(int documentFrequency) => Math.Log((1.0 + DocumentCount) / (1.0 + documentFrequency)) + 1.0;

    private static void ForEachTerm<TState>(List<string> words, TState state, Action<string, TState> action)
    {
        string? previous = null;
        foreach (string word in words)
        {
            if (!TextWords.IsContentWord(word))
            {
                previous = null;
                continue;
            }

            action(word, state);
            if (previous is not null)
            {
                action(previous + " " + word, state);
            }

            previous = word;
        }
    }
}
