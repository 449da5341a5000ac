using System.Buffers;

namespace PromptKit;

/// <summary>
/// rouge-score 0.1.2's scoring functions (<c>_score_ngrams</c>, <c>_score_lcs</c>, <c>_summary_level_lcs</c>) over the
/// token ids held by a <see cref="RougeWorkspace"/>.
/// </summary>
internal static class RougeCalculator
{
    public static RougeScore Compute(RougeWorkspace workspace, RougeType type) => type switch
    {
        RougeType.Rouge1 => Ngrams(workspace, 1),
        RougeType.Rouge2 => Ngrams(workspace, 2),
        RougeType.RougeL => Lcs(workspace),
        _ => SummaryLevelLcs(workspace),
    };

    /// <summary>ROUGE-N: clipped n-gram overlap over <c>max(count, 1)</c> n-grams, as <c>_score_ngrams</c>.</summary>
    public static RougeScore Ngrams(RougeWorkspace workspace, int n)
    {
        int referenceGrams = Math.Max(workspace.Reference.Count - n + 1, 0);
        int predictionGrams = Math.Max(workspace.Prediction.Count - n + 1, 0);
        int overlap;
        if (n == 1)
        {
            Span<int> referenceCounts = workspace.CountTokens(workspace.Reference, second: false);
            Span<int> predictionCounts = workspace.CountTokens(workspace.Prediction, second: true);
            overlap = 0;
            for (int id = 0; id < referenceCounts.Length; id++)
            {
                overlap += Math.Min(referenceCounts[id], predictionCounts[id]);
            }
        }
        else
        {
            overlap = workspace.NgramOverlap(n);
        }

        return RougeScore.FromPrecisionRecall(
            (double)overlap / Math.Max(predictionGrams, 1),
            (double)overlap / Math.Max(referenceGrams, 1));
    }

    /// <summary>ROUGE-L: LCS length over the prediction and reference lengths; 0 when either is empty.</summary>
    public static RougeScore Lcs(RougeWorkspace workspace)
    {
        ReadOnlySpan<int> reference = workspace.Reference.Ids;
        ReadOnlySpan<int> prediction = workspace.Prediction.Ids;
        if (reference.IsEmpty || prediction.IsEmpty)
        {
            return default;
        }

        int columns = prediction.Length + 1;
        Span<int> rows = workspace.RowsOrMarks(2 * columns);
        Span<int> previous = rows[..columns];
        Span<int> current = rows[columns..];
        foreach (int token in reference)
        {
            for (int j = 1; j < columns; j++)
            {
                current[j] = token == prediction[j - 1]
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            Span<int> swap = previous;
            previous = current;
            current = swap;
        }

        int lcs = previous[prediction.Length];
        return RougeScore.FromPrecisionRecall((double)lcs / prediction.Length, (double)lcs / reference.Length);
    }

    /// <summary>
    /// ROUGE-Lsum: for each reference sentence, the union of its LCS positions with every prediction sentence, each
    /// token counted at most as often as it occurs in both texts; as <c>_summary_level_lcs</c> and <c>_union_lcs</c>.
    /// </summary>
    /// <remarks>
    /// Sentences are the <c>'\n'</c>-separated lines. rouge-score drops empty lines and keeps lines without tokens;
    /// neither kind contributes an LCS, so both are skipped here, and texts without tokens score 0.
    /// </remarks>
    public static RougeScore SummaryLevelLcs(RougeWorkspace workspace)
    {
        RougeTokenSequence reference = workspace.Reference;
        RougeTokenSequence prediction = workspace.Prediction;
        if (reference.Count == 0 || prediction.Count == 0)
        {
            return default;
        }

        int maxReferenceSentence = MaxSentenceLength(reference);
        int maxPredictionSentence = MaxSentenceLength(prediction);
        Span<int> referenceCounts = workspace.CountTokens(reference, second: false);
        Span<int> predictionCounts = workspace.CountTokens(prediction, second: true);
        Span<int> marks = workspace.RowsOrMarks(maxReferenceSentence);

        int tableLength = checked((maxReferenceSentence + 1) * (maxPredictionSentence + 1));
        int[] table = ArrayPool<int>.Shared.Rent(tableLength);
        try
        {
            int hits = 0;
            int stamp = 0;
            for (int r = 0; r < reference.SentenceCount; r++)
            {
                ReadOnlySpan<int> referenceSentence = reference.Sentence(r);
                if (referenceSentence.IsEmpty)
                {
                    continue;
                }

                stamp++;
                for (int c = 0; c < prediction.SentenceCount; c++)
                {
                    ReadOnlySpan<int> predictionSentence = prediction.Sentence(c);
                    if (!predictionSentence.IsEmpty)
                    {
                        MarkLcs(referenceSentence, predictionSentence, table, marks, stamp);
                    }
                }

                // The union, in reference order; hits are capped by the tokens' counts in both texts.
                for (int i = 0; i < referenceSentence.Length; i++)
                {
                    int token = referenceSentence[i];
                    if (marks[i] == stamp && predictionCounts[token] > 0 && referenceCounts[token] > 0)
                    {
                        hits++;
                        predictionCounts[token]--;
                        referenceCounts[token]--;
                    }
                }
            }

            return RougeScore.FromPrecisionRecall((double)hits / prediction.Count, (double)hits / reference.Count);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    private static int MaxSentenceLength(RougeTokenSequence sequence)
    {
        int max = 0;
        for (int s = 0; s < sequence.SentenceCount; s++)
        {
            max = Math.Max(max, sequence.Sentence(s).Length);
        }

        return max;
    }

    /// <summary>
    /// Fills the full LCS table of <paramref name="reference"/> × <paramref name="candidate"/> and reads one LCS back
    /// exactly as rouge-score's <c>_backtrack_norec</c> (match first, then left when strictly greater, else up),
    /// setting <c>marks[i] = stamp</c> for each reference position on it.
    /// </summary>
    private static void MarkLcs(
        ReadOnlySpan<int> reference, ReadOnlySpan<int> candidate, int[] tableArray, Span<int> marks, int stamp)
    {
        int columns = candidate.Length + 1;
        Span<int> table = tableArray.AsSpan(0, (reference.Length + 1) * columns);
        table[..columns].Clear();
        for (int i = 1; i <= reference.Length; i++)
        {
            int row = i * columns;
            int above = row - columns;
            int token = reference[i - 1];
            table[row] = 0;
            for (int j = 1; j < columns; j++)
            {
                table[row + j] = token == candidate[j - 1]
                    ? table[above + j - 1] + 1
                    : Math.Max(table[above + j], table[row + j - 1]);
            }
        }

        int ri = reference.Length;
        int cj = candidate.Length;
        while (ri > 0 && cj > 0)
        {
            if (reference[ri - 1] == candidate[cj - 1])
            {
                marks[ri - 1] = stamp;
                ri--;
                cj--;
            }
            else if (table[(ri * columns) + cj - 1] > table[((ri - 1) * columns) + cj])
            {
                cj--;
            }
            else
            {
                ri--;
            }
        }
    }
}
