using System.Text;
using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>An offline <see cref="IUserSummarizer"/>: the most central sentences of the user's past documents.</summary>
/// <remarks>
/// <para>The past documents are split into sentences with <see cref="SentenceSplitter"/> (titles are not used). Each
/// sentence becomes a TF-IDF vector over Porter-stemmed content words (words as in <see cref="KeywordExtractor"/>, stop
/// words dropped; tf = count in the sentence; idf = ln((1 + D) / (1 + df)) + 1 with D the number of past documents and df
/// the number of them that contain the stem). The user's centroid is the sum of the L2-normalized sentence vectors. The
/// summary holds the <see cref="ExtractiveUserSummarizerOptions.SentenceCount"/> sentences with the highest cosine
/// similarity to the centroid (ties: the earlier sentence), each distinct sentence once, joined by one space. Going down
/// that ranking, a sentence whose cosine similarity to one already chosen exceeds
/// <see cref="ExtractiveUserSummarizerOptions.MaxSimilarity"/> is passed over; passed-over sentences fill the summary, in
/// rank order, only when too few others remain.</para>
/// <para>Order: the chosen sentences appear in chronological order: by their document's
/// <see cref="UserDocument.Timestamp"/> (documents with equal timestamps in input order), then by position within the
/// document. The result is deterministic. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ExtractiveUserSummarizer : IUserSummarizer
{
    private readonly int _sentenceCount;
    private readonly double _maxSimilarity;

    /// <summary>Initializes a new instance of the <see cref="ExtractiveUserSummarizer"/> class.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; every failure is listed.</exception>
    public ExtractiveUserSummarizer(ExtractiveUserSummarizerOptions? options = null)
    {
        options ??= new ExtractiveUserSummarizerOptions();
        ExtractiveUserSummarizerOptionsValidator.ThrowIfInvalid(options);
        _sentenceCount = options.SentenceCount;
        _maxSimilarity = options.MaxSimilarity;
    }

    /// <inheritdoc />
    public ValueTask<string> SummarizeAsync(IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken = default)
    {
        UserDocuments.ThrowIfNullOrEmpty(pastDocuments, nameof(pastDocuments));
        cancellationToken.ThrowIfCancellationRequested();

        List<UserDocument> chronological = UserDocuments.Chronological(pastDocuments);
        var sentences = new List<string>();
        var vectors = new List<Dictionary<string, double>>();
        var documentFrequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (UserDocument document in chronological)
        {
            cancellationToken.ThrowIfCancellationRequested();
            seen.Clear();
            foreach (string sentence in SentenceSplitter.Split(document.Text))
            {
                var counts = new Dictionary<string, double>(StringComparer.Ordinal);
                words.Clear();
                TextWords.AddWords(sentence, words);
                foreach (string word in words)
                {
                    if (TextWords.IsContentWord(word))
                    {
                        string stem = PorterStemmer.Instance.Stem(word);
                        counts[stem] = counts.GetValueOrDefault(stem) + 1.0;
                        seen.Add(stem);
                    }
                }

                sentences.Add(sentence);
                vectors.Add(counts);
            }

            foreach (string stem in seen)
            {
                documentFrequencies[stem] = documentFrequencies.GetValueOrDefault(stem) + 1;
            }
        }

        var centroid = new Dictionary<string, double>(StringComparer.Ordinal);
        var units = new List<KeyValuePair<string, double>[]>(vectors.Count);
        foreach (Dictionary<string, double> counts in vectors)
        {
            var unit = new KeyValuePair<string, double>[counts.Count];
            double norm = 0.0;
            int k = 0;
            foreach (KeyValuePair<string, double> pair in counts)
            {
                double weight = pair.Value * (Math.Log((1.0 + chronological.Count) / (1.0 + documentFrequencies[pair.Key])) + 1.0);
                unit[k++] = new(pair.Key, weight);
                norm += weight * weight;
            }

            norm = Math.Sqrt(norm);
            for (k = 0; k < unit.Length; k++)
            {
                unit[k] = new(unit[k].Key, unit[k].Value / norm);
                centroid[unit[k].Key] = centroid.GetValueOrDefault(unit[k].Key) + unit[k].Value;
            }

            units.Add(unit);
        }

        double centroidNorm = 0.0;
        foreach (double value in centroid.Values)
        {
            centroidNorm += value * value;
        }

        centroidNorm = Math.Sqrt(centroidNorm);
        var ranked = new List<(int Index, double Score)>(sentences.Count);
        for (int i = 0; i < sentences.Count; i++)
        {
            double dot = 0.0;
            foreach (KeyValuePair<string, double> pair in units[i])
            {
                dot += pair.Value * centroid[pair.Key];
            }

            ranked.Add((i, centroidNorm > 0.0 ? dot / centroidNorm : 0.0));
        }

        ranked.Sort(static (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Index.CompareTo(y.Index));
        var chosen = new List<int>(_sentenceCount);
        var chosenText = new HashSet<string>(StringComparer.Ordinal);
        var passedOver = new List<int>();
        for (int r = 0; r < ranked.Count && chosen.Count < _sentenceCount; r++)
        {
            int index = ranked[r].Index;
            if (!chosenText.Add(sentences[index]))
            {
                continue;
            }

            if (IsRedundant(units, index, chosen))
            {
                chosenText.Remove(sentences[index]);
                passedOver.Add(index);
                continue;
            }

            chosen.Add(index);
        }

        for (int p = 0; p < passedOver.Count && chosen.Count < _sentenceCount; p++)
        {
            if (chosenText.Add(sentences[passedOver[p]]))
            {
                chosen.Add(passedOver[p]);
            }
        }

        chosen.Sort();
        var summary = new StringBuilder();
        foreach (int index in chosen)
        {
            if (summary.Length > 0)
            {
                summary.Append(' ');
            }

            summary.Append(sentences[index]);
        }

        return ValueTask.FromResult(summary.ToString());
    }

    private bool IsRedundant(List<KeyValuePair<string, double>[]> units, int candidate, List<int> chosen)
    {
        if (_maxSimilarity >= 1.0)
        {
            return false;
        }

        foreach (int other in chosen)
        {
            double dot = 0.0;
            foreach (KeyValuePair<string, double> a in units[candidate])
            {
                foreach (KeyValuePair<string, double> b in units[other])
                {
                    if (string.Equals(a.Key, b.Key, StringComparison.Ordinal))
                    {
                        dot += a.Value * b.Value;
                        break;
                    }
                }
            }

            if (dot > _maxSimilarity)
            {
                return true;
            }
        }

        return false;
    }
}
