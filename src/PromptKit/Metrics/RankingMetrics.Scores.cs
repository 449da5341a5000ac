using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PromptKit;

/// <content>Ranking metrics computed from unsorted scores and grades, for one list or a batch of lists.</content>
public static partial class RankingMetrics
{
    // Batches are split into chunks of at least this many lists before they are spread over cores.
    private const int MinimumListsPerChunk = 256;

    // Whole grades below this are counted instead of selected when the ideal ranking is built.
    private const int WholeGradeLimit = 32;

    // The most keys the bound-based selection gathers before it falls back to insertion.
    private const int MaxCandidates = 96;

    // A one-thread equal-length batch validates this many items (16 KB of scores and of grades) just before scoring them.
    private const int ValidationBlockItems = 2048;

    /// <summary>
    /// Computes a ranking metric of one list from its model scores and relevance grades, in item order (unsorted), by
    /// selecting the k best-scored items instead of sorting the list.
    /// </summary>
    /// <param name="metric">The metric to compute.</param>
    /// <param name="scores">The model scores, higher meaning better, in any item order.</param>
    /// <param name="relevances">The relevance grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="ties">How tied scores are ranked; the default, <see cref="RankingTies.ItemOrder"/>, ranks the earlier item first.</param>
    /// <param name="gain">How a grade becomes a gain, for <see cref="RankingMetric.Ndcg"/> and <see cref="RankingMetric.Dcg"/>. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant, for the binary metrics. The default is 1.0.</param>
    /// <returns>The metric value; 0 for an empty list.</returns>
    /// <remarks>
    /// <para>
    /// With <see cref="RankingTies.ItemOrder"/> the result is bit for bit the one the ranked-list methods give on the
    /// grades sorted by descending score with a stable sort: <see cref="Ndcg(ReadOnlySpan{double}, int, NdcgGain)"/>,
    /// <see cref="ReciprocalRank(ReadOnlySpan{double}, int, double)"/>, <see cref="PrecisionAt(ReadOnlySpan{double}, int, double)"/>,
    /// <see cref="HitAt(ReadOnlySpan{double}, int, double)"/>, and <see cref="RecallAt(ReadOnlySpan{double}, int, int, double)"/>
    /// and <see cref="AveragePrecision(ReadOnlySpan{double}, int, double)"/> with the relevant items of the list as the
    /// total (the listed items are taken to be all judged items). With <see cref="RankingTies.Average"/>, NDCG is
    /// <see cref="NdcgWithTies(ReadOnlySpan{double}, ReadOnlySpan{double}, int, NdcgGain)"/> (scikit-learn's
    /// <c>ndcg_score</c>) and DCG is scikit-learn's <c>dcg_score</c> without its <c>log_base</c> option.
    /// </para>
    /// <para>
    /// For k up to 32 the k best items are kept in a sorted buffer while the scores are scanned (four at a time against
    /// the lowest kept score); larger k sort the list. Whole-number grades take their exponential gain from a table.
    /// Allocation-free for lists of up to 256 items.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="metric"/>, <paramref name="ties"/> or <paramref name="gain"/> is not a defined value, <paramref name="k"/> is
    /// zero or negative, or <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The spans differ in length; a score is NaN or infinite; a grade is NaN, infinite, negative, or above
    /// <see cref="MaxExponentialGrade"/> with exponential gain; or <paramref name="ties"/> is <see cref="RankingTies.Average"/>
    /// for a metric other than NDCG and DCG.
    /// </exception>
    public static double FromScores(
        RankingMetric metric,
        ReadOnlySpan<double> scores,
        ReadOnlySpan<double> relevances,
        int k,
        RankingTies ties = RankingTies.ItemOrder,
        NdcgGain gain = NdcgGain.Linear,
        double relevanceThreshold = 1.0)
    {
        var request = new ScoreRequest(metric, k, ties, gain, relevanceThreshold);
        ValidateScoresAndGrades(scores, relevances, gain);
        return ScoreList(request, scores, relevances);
    }

    /// <summary>Computes a ranking metric of one list from its unsorted model scores and relevance grades.</summary>
    /// <param name="metric">The metric to compute.</param>
    /// <param name="scores">The model scores, higher meaning better, in any item order.</param>
    /// <param name="relevances">The relevance grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="ties">How tied scores are ranked. The default is <see cref="RankingTies.ItemOrder"/>.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>The metric value; 0 for an empty list.</returns>
    /// <remarks>Same as <see cref="FromScores(RankingMetric, ReadOnlySpan{double}, ReadOnlySpan{double}, int, RankingTies, NdcgGain, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> or <paramref name="relevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An enum value, <paramref name="k"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The arrays differ in length, a score or grade is invalid, or the tie rule does not apply to the metric.</exception>
    public static double FromScores(
        RankingMetric metric,
        double[] scores,
        double[] relevances,
        int k,
        RankingTies ties = RankingTies.ItemOrder,
        NdcgGain gain = NdcgGain.Linear,
        double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(relevances);
        return FromScores(metric, (ReadOnlySpan<double>)scores, (ReadOnlySpan<double>)relevances, k, ties, gain, relevanceThreshold);
    }

    /// <summary>
    /// Computes a ranking metric for a batch of lists of equal length, stored one after another in flat arrays of
    /// unsorted scores and grades, optionally on several cores.
    /// </summary>
    /// <param name="metric">The metric to compute.</param>
    /// <param name="scores">The scores of all lists: list i holds the items [i * listLength, (i + 1) * listLength).</param>
    /// <param name="relevances">The grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="listLength">The number of items in every list; at least 1.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="destination">Receives one value per list; its length must be <paramref name="scores"/>.Length / <paramref name="listLength"/>.</param>
    /// <param name="ties">How tied scores are ranked. The default is <see cref="RankingTies.ItemOrder"/>.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use: 1 (the default) runs on the calling thread, -1 uses one per processor. Each value is
    /// computed by the same code whatever the number of threads, so the results do not depend on it.
    /// </param>
    /// <remarks>
    /// Each value equals <see cref="FromScores(RankingMetric, ReadOnlySpan{double}, ReadOnlySpan{double}, int, RankingTies, NdcgGain, double)"/>
    /// on that list. On one thread the scores and grades are validated block by block (2,048 items), each block just
    /// before it is scored, so they are read from memory once; when a value is invalid, the lists before its block
    /// already have their values. On several threads they are validated first, and lists are split into contiguous
    /// chunks of at least 256 lists, one chunk per thread. Allocation-free on one thread for lists of up to 256 items.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An enum value, <paramref name="k"/>, <paramref name="listLength"/>, <paramref name="relevanceThreshold"/> or
    /// <paramref name="maxDegreeOfParallelism"/> is out of range.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The arrays differ in length or their length is not a multiple of <paramref name="listLength"/>, the destination
    /// length is not the number of lists, a score or grade is invalid, or the tie rule does not apply to the metric.
    /// </exception>
    public static void FromScores(
        RankingMetric metric,
        ReadOnlyMemory<double> scores,
        ReadOnlyMemory<double> relevances,
        int listLength,
        int k,
        Memory<double> destination,
        RankingTies ties = RankingTies.ItemOrder,
        NdcgGain gain = NdcgGain.Linear,
        double relevanceThreshold = 1.0,
        int maxDegreeOfParallelism = 1)
    {
        var request = new ScoreRequest(metric, k, ties, gain, relevanceThreshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(listLength);
        int degree = MetricParallelism.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        ValidateLengths(scores.Span, relevances.Span);
        if (scores.Length % listLength != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The scores length {scores.Length} is not a multiple of the list length {listLength}. Pass whole lists, or use the overload that takes list offsets."),
                nameof(scores));
        }

        int lists = scores.Length / listLength;
        ValidateDestination(destination, lists);
        int chunks = MetricParallelism.ChunkCount(lists, degree, MinimumListsPerChunk);
        if (chunks == 1)
        {
            ValidateAndScoreEqualLists(request, scores.Span, relevances.Span, listLength, lists, destination.Span);
            return;
        }

        ValidateValues(scores.Span, relevances.Span, gain);
        ScoreEqualListsInParallel(request, scores, relevances, listLength, lists, chunks, destination);
    }

    /// <summary>
    /// Computes a ranking metric for a batch of lists of any lengths, stored one after another in flat arrays of
    /// unsorted scores and grades and delimited by offsets, optionally on several cores.
    /// </summary>
    /// <param name="metric">The metric to compute.</param>
    /// <param name="scores">The scores of all lists.</param>
    /// <param name="relevances">The grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="listOffsets">
    /// One more entry than there are lists: list i holds the items [listOffsets[i], listOffsets[i + 1]). Offsets must
    /// not decrease and must lie within the arrays; an empty list scores 0.
    /// </param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="destination">Receives one value per list; its length must be <paramref name="listOffsets"/>.Length - 1.</param>
    /// <param name="ties">How tied scores are ranked. The default is <see cref="RankingTies.ItemOrder"/>.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use: 1 (the default) runs on the calling thread, -1 uses one per processor.</param>
    /// <remarks>
    /// Each value equals <see cref="FromScores(RankingMetric, ReadOnlySpan{double}, ReadOnlySpan{double}, int, RankingTies, NdcgGain, double)"/>
    /// on that list, whatever the number of threads.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An enum value, <paramref name="k"/>, <paramref name="relevanceThreshold"/> or <paramref name="maxDegreeOfParallelism"/> is out of range.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The arrays differ in length, the offsets are empty, decrease or leave the arrays, the destination length is not
    /// the number of lists, a score or grade is invalid, or the tie rule does not apply to the metric.
    /// </exception>
    public static void FromScores(
        RankingMetric metric,
        ReadOnlyMemory<double> scores,
        ReadOnlyMemory<double> relevances,
        ReadOnlyMemory<int> listOffsets,
        int k,
        Memory<double> destination,
        RankingTies ties = RankingTies.ItemOrder,
        NdcgGain gain = NdcgGain.Linear,
        double relevanceThreshold = 1.0,
        int maxDegreeOfParallelism = 1)
    {
        var request = new ScoreRequest(metric, k, ties, gain, relevanceThreshold);
        int degree = MetricParallelism.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        ValidateScoresAndGrades(scores.Span, relevances.Span, gain);
        ValidateOffsets(listOffsets.Span, scores.Length);
        int lists = listOffsets.Length - 1;
        ValidateDestination(destination, lists);
        int chunks = MetricParallelism.ChunkCount(lists, degree, MinimumListsPerChunk);
        if (chunks == 1)
        {
            ScoreOffsetLists(request, scores.Span, relevances.Span, listOffsets.Span, 0, lists, destination.Span);
            return;
        }

        ScoreOffsetListsInParallel(request, scores, relevances, listOffsets, lists, chunks, destination);
    }

    // Separate from the public methods so that their one-thread path does not allocate the closure.
    private static void ScoreEqualListsInParallel(
        ScoreRequest request, ReadOnlyMemory<double> scores, ReadOnlyMemory<double> relevances, int listLength, int lists, int chunks, Memory<double> destination) =>
        MetricParallelism.Run(
            lists,
            chunks,
            (_, start, end) => ScoreEqualLists(request, scores.Span, relevances.Span, listLength, start, end, destination.Span));

    private static void ScoreOffsetListsInParallel(
        ScoreRequest request, ReadOnlyMemory<double> scores, ReadOnlyMemory<double> relevances, ReadOnlyMemory<int> listOffsets, int lists, int chunks, Memory<double> destination) =>
        MetricParallelism.Run(
            lists,
            chunks,
            (_, start, end) => ScoreOffsetLists(request, scores.Span, relevances.Span, listOffsets.Span, start, end, destination.Span));

    // One thread: validates the lists block by block, each block just before it is scored, so that its items are
    // read from memory once and are still in cache when they are scored.
    private static void ValidateAndScoreEqualLists(
        in ScoreRequest request, ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, int listLength, int lists, Span<double> destination)
    {
        int block = Math.Max(1, ValidationBlockItems / listLength);
        double upper = UpperGrade(request.Gain);
        for (int start = 0; start < lists; start += block)
        {
            int end = Math.Min(lists, start + block);
            int from = start * listLength;
            int count = (end - start) * listLength;
            if (!AllValid(scores.Slice(from, count), relevances.Slice(from, count), upper))
            {
                // Throws naming the first bad index of the whole input, which lies in this block.
                ValidateValues(scores, relevances, request.Gain);
            }

            ScoreEqualLists(request, scores, relevances, listLength, start, end, destination);
        }
    }

    private static void ScoreEqualLists(
        in ScoreRequest request, ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, int listLength, int start, int end, Span<double> destination)
    {
        for (int list = start; list < end; list++)
        {
            int offset = list * listLength;
            destination[list] = ScoreList(request, scores.Slice(offset, listLength), relevances.Slice(offset, listLength));
        }
    }

    private static void ScoreOffsetLists(
        in ScoreRequest request, ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, ReadOnlySpan<int> offsets, int start, int end, Span<double> destination)
    {
        for (int list = start; list < end; list++)
        {
            int offset = offsets[list];
            int length = offsets[list + 1] - offset;
            destination[list] = ScoreList(request, scores.Slice(offset, length), relevances.Slice(offset, length));
        }
    }

    // One list, arguments already validated.
    private static double ScoreList(in ScoreRequest request, ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances)
    {
        if (scores.IsEmpty)
        {
            return 0.0;
        }

        int cutoff = Math.Min(request.K, scores.Length);
        if (request.Ties == RankingTies.Average)
        {
            bool normalize = request.Metric == RankingMetric.Ndcg;
            return cutoff <= MaxSelectionSize
                ? TieAveragedSmallCutoff(scores, relevances, cutoff, request.Gain, normalize)
                : TieAveragedFullSort(scores, relevances, cutoff, request.Gain, normalize);
        }

        if (cutoff <= MaxSelectionSize)
        {
            Span<double> topScores = stackalloc double[MaxSelectionSize];
            Span<double> topGrades = stackalloc double[MaxSelectionSize];
            SelectLargest(scores, relevances, cutoff, topScores[..cutoff], topGrades[..cutoff]);
            return RankedMetric(request, topGrades[..cutoff], relevances);
        }

        int count = scores.Length;
        double[]? rentedKeys = null;
        int[]? rentedOrder = null;
        Span<double> keys = count <= StackallocThreshold
            ? stackalloc double[StackallocThreshold]
            : (rentedKeys = ArrayPool<double>.Shared.Rent(count));
        Span<int> order = count <= StackallocThreshold
            ? stackalloc int[StackallocThreshold]
            : (rentedOrder = ArrayPool<int>.Shared.Rent(count));
        try
        {
            keys = keys[..count];
            order = order[..count];
            RankStably(scores, keys, order);

            // The keys are no longer needed: they receive the grades in rank order.
            Span<double> ranked = keys[..cutoff];
            for (int i = 0; i < cutoff; i++)
            {
                ranked[i] = relevances[order[i]];
            }

            return RankedMetric(request, ranked, relevances);
        }
        finally
        {
            if (rentedKeys is not null)
            {
                ArrayPool<double>.Shared.Return(rentedKeys);
            }

            if (rentedOrder is not null)
            {
                ArrayPool<int>.Shared.Return(rentedOrder);
            }
        }
    }

    // The metric of the top min(k, n) grades in rank order; allRelevances are the grades of the whole list.
    private static double RankedMetric(in ScoreRequest request, ReadOnlySpan<double> ranked, ReadOnlySpan<double> allRelevances)
    {
        double threshold = request.RelevanceThreshold;
        switch (request.Metric)
        {
            case RankingMetric.Ndcg:
                return NdcgOfTop(ranked, allRelevances, request.Gain);
            case RankingMetric.Dcg:
                return Dcg(ranked, request.Gain);
            case RankingMetric.ReciprocalRank:
                for (int i = 0; i < ranked.Length; i++)
                {
                    if (ranked[i] >= threshold)
                    {
                        return 1.0 / (i + 1);
                    }
                }

                return 0.0;
            case RankingMetric.Precision:
                return (double)CountAtOrAbove(ranked, threshold) / request.K;
            case RankingMetric.Recall:
            {
                int total = CountAtOrAbove(allRelevances, threshold);
                return total == 0 ? 0.0 : (double)CountAtOrAbove(ranked, threshold) / total;
            }

            case RankingMetric.Hit:
                return CountAtOrAbove(ranked, threshold) > 0 ? 1.0 : 0.0;
            default:
            {
                return AveragePrecisionOfRanked(ranked, threshold, CountAtOrAbove(allRelevances, threshold));
            }
        }
    }

    // NDCG of the ranked top n grades against the ideal of all grades: the same sums, in the same order, as
    // Ndcg(sorted grades, n).
    private static double NdcgOfTop(ReadOnlySpan<double> ranked, ReadOnlySpan<double> allRelevances, NdcgGain gain)
    {
        double dcg = Dcg(ranked, gain);
        if (dcg == 0.0)
        {
            return 0.0;
        }

        int n = ranked.Length;
        int scratchLength = SelectionScratchLength(allRelevances.Length, n);
        double[]? rented = null;
        Span<double> scratch = scratchLength <= MaxSelectionSize
            ? stackalloc double[MaxSelectionSize]
            : scratchLength <= StackallocThreshold
                ? stackalloc double[StackallocThreshold]
                : (rented = ArrayPool<double>.Shared.Rent(scratchLength));
        try
        {
            double idcg = Dcg(LargestDescending(allRelevances, n, scratch), gain);
            return idcg == 0.0 ? 0.0 : Ratio(dcg, idcg);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    // Writes to order the item indices by descending score, tied items in item order (a stable sort); keys is scratch
    // of the same length.
    private static void RankStably(ReadOnlySpan<double> scores, Span<double> keys, Span<int> order)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            keys[i] = -scores[i];
            order[i] = i;
        }

        // Ascending -score is descending score; the sort is not stable, so each run of equal keys is put back in
        // item order.
        keys.Sort(order);
        int start = 0;
        while (start < keys.Length)
        {
            int end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                order[start..end].Sort();
            }

            start = end;
        }
    }

    // Writes the top.Length largest values of source, in descending order, to top when every value is a whole number
    // below WholeGradeLimit (usual graded relevance): counting instead of a selection. Returns false, having written
    // nothing useful, otherwise. Equal values are interchangeable, so this equals the selection's result (zeros are
    // written as +0.0, which adds nothing to a DCG either way).
    private static bool TryLargestWholeGrades(ReadOnlySpan<double> source, Span<double> top)
    {
        // One pass: every value whole, and the largest; then one counting pass per grade from the largest down until
        // the top is full. Grades are validated non-negative and not NaN.
        const int Lanes = 4;
        int vectorEnd = Vector256.IsHardwareAccelerated ? source.Length / Lanes * Lanes : 0;
        var notWhole = Vector256<double>.Zero;
        var maxima = Vector256<double>.Zero;
        for (int i = 0; i < vectorEnd; i += Lanes)
        {
            Vector256<double> block = Vector256.Create(source.Slice(i, Lanes));
            notWhole |= ~Vector256.Equals(Vector256.Floor(block), block);
            maxima = Vector256.MaxNative(maxima, block);
        }

        double max = vectorEnd > 0 ? Math.Max(Math.Max(maxima[0], maxima[1]), Math.Max(maxima[2], maxima[3])) : 0.0;
        for (int i = vectorEnd; i < source.Length; i++)
        {
            double value = source[i];
            if (Math.Floor(value) != value)
            {
                return false;
            }

            max = Math.Max(max, value);
        }

        if (notWhole != Vector256<double>.Zero || max >= WholeGradeLimit)
        {
            return false;
        }

        int filled = 0;
        if (max <= 4.0)
        {
            // Usual graded relevance (0..4): the four counts in one pass.
            var one = Vector256.Create(1.0);
            var two = Vector256.Create(2.0);
            var three = Vector256.Create(3.0);
            var four = Vector256.Create(4.0);
            int ones = 0;
            int twos = 0;
            int threes = 0;
            int fours = 0;
            for (int i = 0; i < vectorEnd; i += Lanes)
            {
                Vector256<double> block = Vector256.Create(source.Slice(i, Lanes));
                ones += BitOperations.PopCount(Vector256.Equals(block, one).ExtractMostSignificantBits());
                twos += BitOperations.PopCount(Vector256.Equals(block, two).ExtractMostSignificantBits());
                threes += BitOperations.PopCount(Vector256.Equals(block, three).ExtractMostSignificantBits());
                fours += BitOperations.PopCount(Vector256.Equals(block, four).ExtractMostSignificantBits());
            }

            for (int i = vectorEnd; i < source.Length; i++)
            {
                double value = source[i];
                ones += value == 1.0 ? 1 : 0;
                twos += value == 2.0 ? 1 : 0;
                threes += value == 3.0 ? 1 : 0;
                fours += value == 4.0 ? 1 : 0;
            }

            filled = FillGrade(top, filled, 4.0, fours);
            filled = FillGrade(top, filled, 3.0, threes);
            filled = FillGrade(top, filled, 2.0, twos);
            filled = FillGrade(top, filled, 1.0, ones);
            top[filled..].Clear();
            return true;
        }

        for (int grade = (int)max; grade >= 1 && filled < top.Length; grade--)
        {
            var value = Vector256.Create((double)grade);
            int count = 0;
            for (int i = 0; i < vectorEnd; i += Lanes)
            {
                count += BitOperations.PopCount(Vector256.Equals(Vector256.Create(source.Slice(i, Lanes)), value).ExtractMostSignificantBits());
            }

            for (int i = vectorEnd; i < source.Length; i++)
            {
                count += source[i] == grade ? 1 : 0;
            }

            filled = FillGrade(top, filled, grade, count);
        }

        top[filled..].Clear();
        return true;
    }

    // Writes up to count copies of grade after the filled entries of top; returns the new filled count.
    private static int FillGrade(Span<double> top, int filled, double grade, int count)
    {
        for (int end = Math.Min(top.Length, filled + count); filled < end; filled++)
        {
            top[filled] = grade;
        }

        return filled;
    }

    // Keeps the size (1..MaxSelectionSize, at most keys.Length) entries with the largest keys in topKeys, in
    // descending order with equal keys in source order (a stable selection), and their payloads in topPayload when
    // payload is not empty. Long inputs take a lower bound of the size-th largest key (see TrySelectByBound), gather
    // the keys that reach it and place each by counting the keys ranked above it, without branches on the data; short
    // inputs, inputs with too many keys at the bound (many ties) and machines without 256-bit vectors insert the keys
    // one by one.
    private static void SelectLargest(
        ReadOnlySpan<double> keys, ReadOnlySpan<double> payload, int size, Span<double> topKeys, Span<double> topPayload)
    {
        if (!Vector256.IsHardwareAccelerated || keys.Length < 4 * size || !TrySelectByBound(keys, payload, size, topKeys, topPayload))
        {
            SelectLargestByInsertion(keys, payload, size, topKeys, topPayload);
        }
    }

    private static bool TrySelectByBound(
        ReadOnlySpan<double> keys, ReadOnlySpan<double> payload, int size, Span<double> topKeys, Span<double> topPayload)
    {
        // The maxima of about 2 * size groups (a multiple of the lane count): group g holds the keys g, g + groups,
        // g + 2 * groups, ..., so four groups' maxima come from one vector maximum per row. The size-th largest of
        // them is a lower bound of the size-th largest key, because size groups hold a key at or above it. Keys past
        // the last whole row belong to no group, which keeps the bound valid.
        const int Lanes = 4;
        int groups = (2 * size + Lanes - 1) / Lanes * Lanes;
        int rows = keys.Length / groups;
        Span<double> maxima = stackalloc double[2 * MaxSelectionSize + Lanes];
        maxima = maxima[..groups];
        keys[..groups].CopyTo(maxima);
        for (int row = 1; row < rows; row++)
        {
            ReadOnlySpan<double> line = keys.Slice(row * groups, groups);
            for (int j = 0; j < groups; j += Lanes)
            {
                Vector256.MaxNative(Vector256.Create(maxima.Slice(j, Lanes)), Vector256.Create(line.Slice(j, Lanes))).CopyTo(maxima.Slice(j, Lanes));
            }
        }

        double bound = double.NegativeInfinity;
        for (int i = 0; i < groups; i++)
        {
            var value = Vector256.Create(maxima[i]);
            int above = 0;
            int atOrAbove = 0;
            for (int j = 0; j < maxima.Length; j += Lanes)
            {
                Vector256<double> block = Vector256.Create(maxima.Slice(j, Lanes));
                above += BitOperations.PopCount(Vector256.GreaterThan(block, value).ExtractMostSignificantBits());
                atOrAbove += BitOperations.PopCount(Vector256.GreaterThanOrEqual(block, value).ExtractMostSignificantBits());
            }

            if (above < size && atOrAbove >= size)
            {
                bound = maxima[i];
                break;
            }
        }

        // Gather the keys at or above the bound, in source order; unused lanes hold -Infinity. With AVX2 each block of
        // four is packed by a permutation chosen by its mask and stored whole, without a branch on the data.
        Span<double> candidateKeys = stackalloc double[MaxCandidates + Lanes];
        Span<long> candidates = stackalloc long[MaxCandidates + Lanes];
        int count = 0;
        int i2 = 0;
        var bounds = Vector256.Create(bound);
        if (Avx2.IsSupported)
        {
            ReadOnlySpan<int> controls = CompressControls;
            var lanes = Vector256.Create(0L, 1L, 2L, 3L);
            for (int vectorEnd = keys.Length - Lanes; i2 <= vectorEnd; i2 += Lanes)
            {
                Vector256<double> block = Vector256.Create(keys.Slice(i2, Lanes));
                uint mask = Vector256.GreaterThanOrEqual(block, bounds).ExtractMostSignificantBits();
                Vector256<int> control = Vector256.Create(controls.Slice((int)mask * 8, 8));
                Avx2.PermuteVar8x32(block.AsSingle(), control).AsDouble().CopyTo(candidateKeys[count..]);
                Avx2.PermuteVar8x32((lanes + Vector256.Create((long)i2)).AsInt32(), control).AsInt64().CopyTo(candidates[count..]);
                count += BitOperations.PopCount(mask);
                if (count > MaxCandidates - Lanes)
                {
                    return false;
                }
            }
        }

        for (int vectorEnd = keys.Length - Lanes; i2 <= vectorEnd; i2 += Lanes)
        {
            uint mask = Vector256.GreaterThanOrEqual(Vector256.Create(keys.Slice(i2, Lanes)), bounds).ExtractMostSignificantBits();
            if (mask == 0)
            {
                continue;
            }

            if (count + Lanes > MaxCandidates)
            {
                return false;
            }

            while (mask != 0)
            {
                int index = i2 + BitOperations.TrailingZeroCount(mask);
                candidateKeys[count] = keys[index];
                candidates[count++] = index;
                mask &= mask - 1;
            }
        }

        for (; i2 < keys.Length; i2++)
        {
            if (keys[i2] >= bound)
            {
                if (count == MaxCandidates)
                {
                    return false;
                }

                candidateKeys[count] = keys[i2];
                candidates[count++] = i2;
            }
        }

        int padded = (count + Lanes - 1) / Lanes * Lanes;
        candidateKeys[count..padded].Fill(double.NegativeInfinity);

        // Candidate c's rank: the candidates with a larger key, plus those before it with an equal key (stable).
        bool carry = !payload.IsEmpty;
        for (int c = 0; c < count; c++)
        {
            double key = candidateKeys[c];
            var value = Vector256.Create(key);
            int rank = 0;
            for (int j = 0; j < padded; j += Lanes)
            {
                Vector256<double> block = Vector256.Create(candidateKeys.Slice(j, Lanes));
                uint equalBefore = Vector256.Equals(block, value).ExtractMostSignificantBits() & LanesBefore(c - j);
                rank += BitOperations.PopCount(Vector256.GreaterThan(block, value).ExtractMostSignificantBits())
                    + BitOperations.PopCount(equalBefore);
            }

            if (rank < size)
            {
                topKeys[rank] = key;
                if (carry)
                {
                    topPayload[rank] = payload[(int)candidates[c]];
                }
            }
        }

        return true;
    }

    // For each 4-bit mask, the PermuteVar8x32 control (pairs of 32-bit lanes, one pair per double) that moves the
    // selected doubles to the front in order.
    private static ReadOnlySpan<int> CompressControls =>
    [
        0, 1, 0, 1, 0, 1, 0, 1, // 0000
        0, 1, 0, 1, 0, 1, 0, 1, // 0001
        2, 3, 0, 1, 0, 1, 0, 1, // 0010
        0, 1, 2, 3, 0, 1, 0, 1, // 0011
        4, 5, 0, 1, 0, 1, 0, 1, // 0100
        0, 1, 4, 5, 0, 1, 0, 1, // 0101
        2, 3, 4, 5, 0, 1, 0, 1, // 0110
        0, 1, 2, 3, 4, 5, 0, 1, // 0111
        6, 7, 0, 1, 0, 1, 0, 1, // 1000
        0, 1, 6, 7, 0, 1, 0, 1, // 1001
        2, 3, 6, 7, 0, 1, 0, 1, // 1010
        0, 1, 2, 3, 6, 7, 0, 1, // 1011
        4, 5, 6, 7, 0, 1, 0, 1, // 1100
        0, 1, 4, 5, 6, 7, 0, 1, // 1101
        2, 3, 4, 5, 6, 7, 0, 1, // 1110
        0, 1, 2, 3, 4, 5, 6, 7, // 1111
    ];

    // The bit mask of the lanes 0..position-1 of a 4-lane vector (all four when position >= 4, none when <= 0).
    private static uint LanesBefore(int position) => (1u << Math.Clamp(position, 0, 4)) - 1;

    private static void SelectLargestByInsertion(
        ReadOnlySpan<double> keys, ReadOnlySpan<double> payload, int size, Span<double> topKeys, Span<double> topPayload)
    {
        bool carry = !payload.IsEmpty;
        for (int i = 0; i < size; i++)
        {
            Insert(i, keys[i], carry ? payload[i] : 0.0, topKeys, topPayload, carry);
        }

        int last = size - 1;
        double lowest = topKeys[last];
        int j = size;
        if (Vector256.IsHardwareAccelerated)
        {
            int vectorEnd = keys.Length - Vector256<double>.Count;
            for (; j <= vectorEnd; j += Vector256<double>.Count)
            {
                if (!Vector256.GreaterThanAny(Vector256.Create(keys.Slice(j, Vector256<double>.Count)), Vector256.Create(lowest)))
                {
                    continue;
                }

                for (int t = j; t < j + Vector256<double>.Count; t++)
                {
                    if (keys[t] > lowest)
                    {
                        Insert(last, keys[t], carry ? payload[t] : 0.0, topKeys, topPayload, carry);
                        lowest = topKeys[last];
                    }
                }
            }
        }

        for (; j < keys.Length; j++)
        {
            if (keys[j] > lowest)
            {
                Insert(last, keys[j], carry ? payload[j] : 0.0, topKeys, topPayload, carry);
                lowest = topKeys[last];
            }
        }
    }

    // Puts key at slot or before it, shifting down the kept keys smaller than it (equal keys stay ahead).
    private static void Insert(int slot, double key, double value, Span<double> topKeys, Span<double> topPayload, bool carry)
    {
        while (slot > 0 && topKeys[slot - 1] < key)
        {
            topKeys[slot] = topKeys[slot - 1];
            if (carry)
            {
                topPayload[slot] = topPayload[slot - 1];
            }

            slot--;
        }

        topKeys[slot] = key;
        if (carry)
        {
            topPayload[slot] = value;
        }
    }

    private static void ValidateScoresAndGrades(ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, NdcgGain gain)
    {
        ValidateLengths(scores, relevances);
        ValidateValues(scores, relevances, gain);
    }

    private static double UpperGrade(NdcgGain gain) => gain == NdcgGain.Exponential ? MaxExponentialGrade : double.MaxValue;

    private static void ValidateValues(ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, NdcgGain gain)
    {
        // One vector pass over both inputs; the checks that name the bad index run only when it finds something.
        if (!AllValid(scores, relevances, UpperGrade(gain)))
        {
            ValidateFinite(scores, nameof(scores));
            ValidateRelevances(relevances, gain, nameof(relevances));
        }
    }

    private static void ValidateLengths(ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances)
    {
        if (scores.Length != relevances.Length)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The relevances length {relevances.Length} does not match the scores length {scores.Length}. Pass one grade for each scored item."),
                nameof(relevances));
        }
    }

    // Whether every score is finite (x - x is 0 exactly for finite x, NaN otherwise) and every grade lies in
    // [0, upper] (NaN fails the comparison). The spans have equal length.
    private static bool AllValid(ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, double upper)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> bad = Vector256<double>.Zero;
            var uppers = Vector256.Create(upper);
            for (int end = scores.Length - Vector256<double>.Count; i <= end; i += Vector256<double>.Count)
            {
                Vector256<double> score = Vector256.Create(scores.Slice(i, Vector256<double>.Count));
                Vector256<double> grade = Vector256.Create(relevances.Slice(i, Vector256<double>.Count));
                bad |= ~Vector256.Equals(score - score, Vector256<double>.Zero);
                bad |= ~(Vector256.GreaterThanOrEqual(grade, Vector256<double>.Zero) & Vector256.LessThanOrEqual(grade, uppers));
            }

            if (bad != Vector256<double>.Zero)
            {
                return false;
            }
        }

        for (; i < scores.Length; i++)
        {
            double score = scores[i];
            double grade = relevances[i];
            if (score - score != 0.0 || !(grade >= 0.0 && grade <= upper))
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateOffsets(ReadOnlySpan<int> listOffsets, int itemCount)
    {
        if (listOffsets.IsEmpty)
        {
            throw new ArgumentException("The list offsets are empty. Pass one more offset than there are lists, starting with the first list's start (usually 0).", nameof(listOffsets));
        }

        for (int i = 0; i < listOffsets.Length; i++)
        {
            int previous = i == 0 ? 0 : listOffsets[i - 1];
            if (listOffsets[i] < previous || listOffsets[i] > itemCount)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"listOffsets[{i}] is {listOffsets[i]}. Offsets must not decrease, and must lie between 0 and the number of items ({itemCount})."),
                    nameof(listOffsets));
            }
        }
    }

    private static void ValidateDestination(Memory<double> destination, int lists)
    {
        if (destination.Length != lists)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The destination length {destination.Length} does not match the number of lists {lists}. Pass one slot per list."),
                nameof(destination));
        }
    }

    // The per-call arguments of FromScores, validated on construction.
    private readonly struct ScoreRequest
    {
        public ScoreRequest(RankingMetric metric, int k, RankingTies ties, NdcgGain gain, double relevanceThreshold)
        {
            if (metric is < RankingMetric.Ndcg or > RankingMetric.AveragePrecision)
            {
                throw new ArgumentOutOfRangeException(nameof(metric), metric, $"Unknown metric. Use a defined {nameof(RankingMetric)} value.");
            }

            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
            if (ties is not RankingTies.ItemOrder and not RankingTies.Average)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(ties), ties, $"Unknown tie rule. Use {nameof(RankingTies)}.{nameof(RankingTies.ItemOrder)} or {nameof(RankingTies)}.{nameof(RankingTies.Average)}.");
            }

            if (ties == RankingTies.Average && metric is not RankingMetric.Ndcg and not RankingMetric.Dcg)
            {
                throw new ArgumentException(
                    $"Tie averaging (scikit-learn's rule) is defined for {nameof(RankingMetric.Ndcg)} and {nameof(RankingMetric.Dcg)} only, not {metric}. Use {nameof(RankingTies)}.{nameof(RankingTies.ItemOrder)}.",
                    nameof(ties));
            }

            ValidateGain(gain);
            ValidateThreshold(relevanceThreshold);
            Metric = metric;
            K = k;
            Ties = ties;
            Gain = gain;
            RelevanceThreshold = relevanceThreshold;
        }

        public RankingMetric Metric { get; }

        public int K { get; }

        public RankingTies Ties { get; }

        public NdcgGain Gain { get; }

        public double RelevanceThreshold { get; }
    }
}
