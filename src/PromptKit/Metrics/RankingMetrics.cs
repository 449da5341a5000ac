using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;

namespace PromptKit;

/// <summary>
/// Ranking quality metrics over graded relevance lists: NDCG (trec_eval and scikit-learn conventions), reciprocal rank,
/// precision, recall, hit rate and (mean) average precision.
/// </summary>
/// <remarks>
/// <para>
/// Inputs are relevance grades listed in ranked order (best-ranked first). Grades must be finite and non-negative; an
/// item that was never judged has grade 0. An item is <em>relevant</em> when its grade is at least the
/// <c>relevanceThreshold</c> argument (default 1.0, trec_eval's convention for graded qrels).
/// </para>
/// <para>
/// Tie handling: every method that takes <c>rankedRelevances</c> uses the order given, so items with equal model scores
/// are counted in whatever (for example stable) order the caller sorted them. Only
/// <see cref="NdcgWithTies(ReadOnlySpan{double}, ReadOnlySpan{double}, int, NdcgGain)"/> looks at the scores themselves
/// and is independent of the order of tied items.
/// </para>
/// <para>
/// Empty input returns 0 from every metric. All methods are thread-safe and allocate nothing on the managed heap for
/// lists of up to 256 items (larger scratch buffers are rented from <see cref="ArrayPool{T}.Shared"/>).
/// </para>
/// </remarks>
public static partial class RankingMetrics
{
    /// <summary>The largest grade accepted with <see cref="NdcgGain.Exponential"/>; 2^grade overflows beyond it.</summary>
    public const double MaxExponentialGrade = 1000.0;

    private const int StackallocThreshold = 256;

    // Cutoffs up to this size find their best items by insertion into a sorted buffer of that size (O(n * size) at
    // worst, and one comparison per item once the buffer holds the leaders); larger ones sort a copy of the list.
    private const int MaxSelectionSize = 32;

    // Discounts[i] = 1 / log2(i + 2), computed with the same expression as Discount, so the table holds the very same
    // doubles the expression gives.
    private static readonly double[] Discounts = CreateDiscounts(StackallocThreshold);

    // ExponentialGains[g] = 2^g - 1 for the whole grades 0..MaxExponentialGrade, computed with the same expression as
    // the Math.Pow fallback, so the table holds the very same doubles.
    private static readonly double[] ExponentialGains = CreateExponentialGains((int)MaxExponentialGrade + 1);

    /// <summary>
    /// Computes NDCG@k of a ranked list, with the ideal ranking taken from the listed grades themselves.
    /// </summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <returns>
    /// NDCG@k in [0, 1]; 0 when the list is empty or has no positive grade in the ideal top k.
    /// </returns>
    /// <remarks>
    /// DCG@k = sum over ranks i = 1..min(k, n) of gain_i / log2(i + 1); IDCG@k is the DCG@k of the grades sorted in
    /// descending order. This matches scikit-learn's <c>ndcg_score(..., ignore_ties=True)</c> on a ranked list, and
    /// trec_eval's <c>ndcg_cut</c> when every judged item is in the list. Use
    /// <see cref="Ndcg(ReadOnlySpan{double}, ReadOnlySpan{double}, int, NdcgGain)"/> when relevant items may be
    /// missing from the list.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite, negative, or above <see cref="MaxExponentialGrade"/> with exponential gain.</exception>
    public static double Ndcg(ReadOnlySpan<double> rankedRelevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateGain(gain);
        ValidateRelevances(rankedRelevances, gain, nameof(rankedRelevances));
        if (rankedRelevances.IsEmpty)
        {
            return 0.0;
        }

        return NdcgOfTop(rankedRelevances[..Math.Min(k, rankedRelevances.Length)], rankedRelevances, gain);
    }

    /// <summary>Computes NDCG@k of a ranked list, with the ideal ranking taken from the listed grades themselves.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <returns>NDCG@k in [0, 1]; 0 when the list is empty or has no positive grade in the ideal top k.</returns>
    /// <remarks>Same as <see cref="Ndcg(ReadOnlySpan{double}, int, NdcgGain)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite, negative, or above <see cref="MaxExponentialGrade"/> with exponential gain.</exception>
    public static double Ndcg(double[] rankedRelevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return Ndcg((ReadOnlySpan<double>)rankedRelevances, k, gain);
    }

    /// <summary>
    /// Computes NDCG@k of a ranked list with the ideal ranking taken from all judged grades (trec_eval convention), so
    /// relevant items that were not retrieved lower the score.
    /// </summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first); unjudged items have grade 0.</param>
    /// <param name="judgedRelevances">
    /// The grades of every judged item for the query (the qrels), in any order, including the items that were not
    /// retrieved. Zero grades may be omitted.
    /// </param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff (trec_eval's <c>ndcg</c>).</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <returns>NDCG@k in [0, 1]; 0 when the ranked list is empty or no judged grade is positive.</returns>
    /// <remarks>
    /// Matches trec_eval 9.0's <c>ndcg_cut.k</c> (and <c>ndcg</c> without cutoff): DCG@k = sum over ranks
    /// i = 1..min(k, n) of gain_i / log2(i + 1), and IDCG@k is the DCG of the k best grades of
    /// <paramref name="judgedRelevances"/>. With <see cref="NdcgGain.Exponential"/> it equals trec_eval run on qrels
    /// whose grades were replaced by 2^grade - 1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">
    /// A grade is NaN, infinite, negative, or above <see cref="MaxExponentialGrade"/> with exponential gain; or the
    /// ranked top k holds grades that <paramref name="judgedRelevances"/> cannot account for (the i-th best ranked grade
    /// exceeds the i-th best judged grade), which means the judged grades are incomplete.
    /// </exception>
    public static double Ndcg(
        ReadOnlySpan<double> rankedRelevances, ReadOnlySpan<double> judgedRelevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateGain(gain);
        ValidateRelevances(rankedRelevances, gain, nameof(rankedRelevances));
        ValidateRelevances(judgedRelevances, gain, nameof(judgedRelevances));

        int n = Math.Min(k, rankedRelevances.Length);
        int m = Math.Min(k, judgedRelevances.Length);
        int judgedScratch = SelectionScratchLength(judgedRelevances.Length, m);
        int rankedScratch = SelectionScratchLength(n, n);
        int length = judgedScratch + rankedScratch;
        double[]? rented = null;
        Span<double> buffer = length <= 2 * MaxSelectionSize
            ? stackalloc double[2 * MaxSelectionSize]
            : length <= StackallocThreshold
                ? stackalloc double[StackallocThreshold]
                : (rented = ArrayPool<double>.Shared.Rent(length));
        try
        {
            // Only the m best judged grades and the sorted ranked top n are needed: the consistency check compares
            // ranks below n <= k, and IDCG@k sums the first m.
            Span<double> ideal = LargestDescending(judgedRelevances, m, buffer[..judgedScratch]);
            Span<double> top = LargestDescending(rankedRelevances[..n], n, buffer.Slice(judgedScratch, rankedScratch));
            for (int i = 0; i < top.Length; i++)
            {
                double judged = i < ideal.Length ? ideal[i] : 0.0;
                if (top[i] > judged)
                {
                    throw new ArgumentException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The ranked top {n} contains more or higher grades than the judged grades allow: its grade number {i + 1} in descending order is {top[i]}, but the judged grade number {i + 1} is {judged}. Pass the grades of all judged items (including the ranked ones) as {nameof(judgedRelevances)}."),
                        nameof(judgedRelevances));
                }
            }

            if (n == 0)
            {
                return 0.0;
            }

            double idcg = Dcg(ideal, gain);
            return idcg == 0.0 ? 0.0 : Ratio(Dcg(rankedRelevances[..n], gain), idcg);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Computes NDCG@k of a ranked list with the ideal ranking taken from all judged grades (trec_eval convention).
    /// </summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first); unjudged items have grade 0.</param>
    /// <param name="judgedRelevances">The grades of every judged item for the query, including those not retrieved.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <returns>NDCG@k in [0, 1]; 0 when the ranked list is empty or no judged grade is positive.</returns>
    /// <remarks>Same as <see cref="Ndcg(ReadOnlySpan{double}, ReadOnlySpan{double}, int, NdcgGain)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> or <paramref name="judgedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A grade is invalid, or the judged grades cannot account for the ranked ones.</exception>
    public static double Ndcg(double[] rankedRelevances, double[] judgedRelevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        ArgumentNullException.ThrowIfNull(judgedRelevances);
        return Ndcg((ReadOnlySpan<double>)rankedRelevances, (ReadOnlySpan<double>)judgedRelevances, k, gain);
    }

    /// <summary>
    /// Computes NDCG@k from unsorted model scores, giving every group of tied scores the average gain of the group, as
    /// scikit-learn's <c>ndcg_score(y_true, y_score, k=k)</c> with its default <c>ignore_ties=False</c>.
    /// </summary>
    /// <param name="scores">The model scores, higher meaning better, in any item order.</param>
    /// <param name="relevances">The relevance grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff (scikit-learn's <c>k=None</c>).</param>
    /// <param name="gain">
    /// How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>; <see cref="NdcgGain.Exponential"/>
    /// equals scikit-learn called with <c>y_true = 2**grade - 1</c>.
    /// </param>
    /// <returns>NDCG@k in [0, 1]; 0 when the input is empty or no grade is positive (scikit-learn also returns 0).</returns>
    /// <remarks>
    /// <para>
    /// Matches scikit-learn 1.2 <c>sklearn.metrics.ndcg_score</c> (<c>_tie_averaged_dcg</c>): items are grouped by equal
    /// score, each group occupies consecutive ranks, and contributes its mean gain times the sum of the discounts
    /// 1 / log2(rank + 1) of the ranks it occupies that fall within the top k. The ideal DCG comes from the listed
    /// items only. The result does not depend on the order of tied items; without ties it equals
    /// <see cref="Ndcg(ReadOnlySpan{double}, int, NdcgGain)"/> on the grades sorted by descending score.
    /// </para>
    /// <para>
    /// Unlike scikit-learn, a single item is accepted (scikit-learn raises): it scores 1 when its grade is positive, else 0.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">
    /// The spans differ in length, a score is NaN or infinite, or a grade is NaN, infinite, negative, or above
    /// <see cref="MaxExponentialGrade"/> with exponential gain.
    /// </exception>
    public static double NdcgWithTies(
        ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateGain(gain);
        if (scores.Length != relevances.Length)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The relevances length {relevances.Length} does not match the scores length {scores.Length}. Pass one grade for each scored item."),
                nameof(relevances));
        }

        ValidateFinite(scores, nameof(scores));
        ValidateRelevances(relevances, gain, nameof(relevances));
        if (scores.IsEmpty)
        {
            return 0.0;
        }

        int cutoff = Math.Min(k, scores.Length);
        return cutoff <= MaxSelectionSize
            ? TieAveragedSmallCutoff(scores, relevances, cutoff, gain, normalize: true)
            : TieAveragedFullSort(scores, relevances, cutoff, gain, normalize: true);
    }

    /// <summary>
    /// Computes NDCG@k from unsorted model scores with tie-averaged gains, as scikit-learn's <c>ndcg_score</c>.
    /// </summary>
    /// <param name="scores">The model scores, higher meaning better, in any item order.</param>
    /// <param name="relevances">The relevance grades of the same items, in the same order as <paramref name="scores"/>.</param>
    /// <param name="k">The cutoff rank. Pass <see cref="int.MaxValue"/> for no cutoff.</param>
    /// <param name="gain">How a grade becomes a gain. The default is <see cref="NdcgGain.Linear"/>.</param>
    /// <returns>NDCG@k in [0, 1]; 0 when the input is empty or no grade is positive.</returns>
    /// <remarks>Same as <see cref="NdcgWithTies(ReadOnlySpan{double}, ReadOnlySpan{double}, int, NdcgGain)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> or <paramref name="relevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is zero or negative, or <paramref name="gain"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">The arrays differ in length, or a score or grade is invalid.</exception>
    public static double NdcgWithTies(double[] scores, double[] relevances, int k, NdcgGain gain = NdcgGain.Linear)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(relevances);
        return NdcgWithTies((ReadOnlySpan<double>)scores, (ReadOnlySpan<double>)relevances, k, gain);
    }

    /// <summary>Computes the reciprocal rank of the first relevant item within the top k.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank. The default, <see cref="int.MaxValue"/>, means no cutoff.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>1 / rank of the first relevant item in the top k; 0 when there is none or the list is empty.</returns>
    /// <remarks>Matches trec_eval's <c>recip_rank</c>; the mean over queries is MRR (MRR@k with a cutoff).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="k"/> is zero or negative, or <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double ReciprocalRank(
        ReadOnlySpan<double> rankedRelevances, int k = int.MaxValue, double relevanceThreshold = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateThreshold(relevanceThreshold);
        ValidateRelevances(rankedRelevances, NdcgGain.Linear, nameof(rankedRelevances));
        int n = Math.Min(k, rankedRelevances.Length);
        for (int i = 0; i < n; i++)
        {
            if (rankedRelevances[i] >= relevanceThreshold)
            {
                return 1.0 / (i + 1);
            }
        }

        return 0.0;
    }

    /// <summary>Computes the reciprocal rank of the first relevant item within the top k.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank. The default, <see cref="int.MaxValue"/>, means no cutoff.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>1 / rank of the first relevant item in the top k; 0 when there is none or the list is empty.</returns>
    /// <remarks>Same as <see cref="ReciprocalRank(ReadOnlySpan{double}, int, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double ReciprocalRank(double[] rankedRelevances, int k = int.MaxValue, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return ReciprocalRank((ReadOnlySpan<double>)rankedRelevances, k, relevanceThreshold);
    }

    /// <summary>Computes precision at k: the number of relevant items in the top k divided by k.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Precision@k in [0, 1]; 0 for an empty list.</returns>
    /// <remarks>
    /// Matches trec_eval's <c>P_k</c>: the denominator is k even when the list holds fewer than k items, so a short list
    /// cannot reach 1.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="k"/> is zero or negative, or <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double PrecisionAt(ReadOnlySpan<double> rankedRelevances, int k, double relevanceThreshold = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateThreshold(relevanceThreshold);
        ValidateRelevances(rankedRelevances, NdcgGain.Linear, nameof(rankedRelevances));
        return (double)CountAtOrAbove(rankedRelevances[..Math.Min(k, rankedRelevances.Length)], relevanceThreshold) / k;
    }

    /// <summary>Computes precision at k: the number of relevant items in the top k divided by k.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Precision@k in [0, 1]; 0 for an empty list.</returns>
    /// <remarks>Same as <see cref="PrecisionAt(ReadOnlySpan{double}, int, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double PrecisionAt(double[] rankedRelevances, int k, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return PrecisionAt((ReadOnlySpan<double>)rankedRelevances, k, relevanceThreshold);
    }

    /// <summary>Computes recall at k: the number of relevant items in the top k divided by the number of relevant items.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="totalRelevant">
    /// The number of relevant items for the query, retrieved or not (see <see cref="CountRelevant(ReadOnlySpan{double}, double)"/>).
    /// </param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Recall@k in [0, 1]; 0 when <paramref name="totalRelevant"/> is 0 or the list is empty.</returns>
    /// <remarks>Matches trec_eval's <c>recall_k</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="k"/> is zero or negative; <paramref name="totalRelevant"/> is negative or smaller than the number
    /// of relevant items in the list; or <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double RecallAt(
        ReadOnlySpan<double> rankedRelevances, int totalRelevant, int k, double relevanceThreshold = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalRelevant);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ValidateThreshold(relevanceThreshold);
        ValidateRelevances(rankedRelevances, NdcgGain.Linear, nameof(rankedRelevances));
        ValidateTotalRelevant(rankedRelevances, totalRelevant, relevanceThreshold);
        if (totalRelevant == 0)
        {
            return 0.0;
        }

        return (double)CountAtOrAbove(rankedRelevances[..Math.Min(k, rankedRelevances.Length)], relevanceThreshold)
            / totalRelevant;
    }

    /// <summary>Computes recall at k: the number of relevant items in the top k divided by the number of relevant items.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="totalRelevant">The number of relevant items for the query, retrieved or not.</param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Recall@k in [0, 1]; 0 when <paramref name="totalRelevant"/> is 0 or the list is empty.</returns>
    /// <remarks>Same as <see cref="RecallAt(ReadOnlySpan{double}, int, int, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/>, <paramref name="totalRelevant"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double RecallAt(double[] rankedRelevances, int totalRelevant, int k, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return RecallAt((ReadOnlySpan<double>)rankedRelevances, totalRelevant, k, relevanceThreshold);
    }

    /// <summary>Computes the hit rate at k: 1 when any of the top k items is relevant, else 0.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>1.0 or 0.0; 0 for an empty list.</returns>
    /// <remarks>Matches trec_eval's <c>success_k</c>; its mean over queries is HitRate@k.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="k"/> is zero or negative, or <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double HitAt(ReadOnlySpan<double> rankedRelevances, int k, double relevanceThreshold = 1.0) =>
        ReciprocalRank(rankedRelevances, k, relevanceThreshold) > 0.0 ? 1.0 : 0.0;

    /// <summary>Computes the hit rate at k: 1 when any of the top k items is relevant, else 0.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="k">The cutoff rank.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>1.0 or 0.0; 0 for an empty list.</returns>
    /// <remarks>Same as <see cref="HitAt(ReadOnlySpan{double}, int, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double HitAt(double[] rankedRelevances, int k, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return HitAt((ReadOnlySpan<double>)rankedRelevances, k, relevanceThreshold);
    }

    /// <summary>
    /// Computes average precision: the sum of the precision at the rank of each relevant retrieved item, divided by the
    /// number of relevant items.
    /// </summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="totalRelevant">
    /// The number of relevant items for the query, retrieved or not (see <see cref="CountRelevant(ReadOnlySpan{double}, double)"/>).
    /// </param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Average precision in [0, 1]; 0 when <paramref name="totalRelevant"/> is 0 or the list is empty.</returns>
    /// <remarks>Matches trec_eval's per-query <c>map</c>: relevant items that were not retrieved contribute precision 0.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="totalRelevant"/> is negative or smaller than the number of relevant items in the list, or
    /// <paramref name="relevanceThreshold"/> is not a finite positive number.
    /// </exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double AveragePrecision(
        ReadOnlySpan<double> rankedRelevances, int totalRelevant, double relevanceThreshold = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalRelevant);
        ValidateThreshold(relevanceThreshold);
        ValidateRelevances(rankedRelevances, NdcgGain.Linear, nameof(rankedRelevances));
        ValidateTotalRelevant(rankedRelevances, totalRelevant, relevanceThreshold);
        return AveragePrecisionOfRanked(rankedRelevances, relevanceThreshold, totalRelevant);
    }

    /// <summary>Average precision of an already ranked and validated list: the mean, over the <paramref name="total"/>
    /// relevant items, of the precision at each relevant item's rank (0 when there are none).</summary>
    internal static double AveragePrecisionOfRanked(ReadOnlySpan<double> ranked, double threshold, int total)
    {
        if (total == 0)
        {
            return 0.0;
        }

        double sum = 0.0;
        int found = 0;
        for (int i = 0; i < ranked.Length; i++)
        {
            if (ranked[i] >= threshold)
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return sum / total;
    }

    /// <summary>Computes average precision of a ranked list.</summary>
    /// <param name="rankedRelevances">The relevance grades in ranked order (best-ranked first).</param>
    /// <param name="totalRelevant">The number of relevant items for the query, retrieved or not.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>Average precision in [0, 1]; 0 when <paramref name="totalRelevant"/> is 0 or the list is empty.</returns>
    /// <remarks>Same as <see cref="AveragePrecision(ReadOnlySpan{double}, int, double)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalRelevant"/> or <paramref name="relevanceThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static double AveragePrecision(double[] rankedRelevances, int totalRelevant, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        return AveragePrecision((ReadOnlySpan<double>)rankedRelevances, totalRelevant, relevanceThreshold);
    }

    /// <summary>Computes mean average precision (MAP): the arithmetic mean of <see cref="AveragePrecision(ReadOnlySpan{double}, int, double)"/> over queries.</summary>
    /// <param name="rankedRelevances">For each query, the relevance grades in ranked order.</param>
    /// <param name="totalRelevant">For each query, the number of relevant items, retrieved or not.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>MAP in [0, 1]; 0 when there are no queries.</returns>
    /// <remarks>Matches trec_eval's <c>map</c> averaged over queries (every query counts, including those with no relevant items).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="rankedRelevances"/> or <paramref name="totalRelevant"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The lists differ in length, a query's list is <see langword="null"/>, or a grade is NaN, infinite or negative.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A total is out of range, or <paramref name="relevanceThreshold"/> is not a finite positive number.</exception>
    public static double MeanAveragePrecision(
        IReadOnlyList<double[]> rankedRelevances, IReadOnlyList<int> totalRelevant, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rankedRelevances);
        ArgumentNullException.ThrowIfNull(totalRelevant);
        ValidateThreshold(relevanceThreshold);
        if (rankedRelevances.Count != totalRelevant.Count)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The totalRelevant count {totalRelevant.Count} does not match the rankedRelevances count {rankedRelevances.Count}. Pass one total for each query."),
                nameof(totalRelevant));
        }

        if (rankedRelevances.Count == 0)
        {
            return 0.0;
        }

        double sum = 0.0;
        for (int q = 0; q < rankedRelevances.Count; q++)
        {
            double[]? list = rankedRelevances[q]
                ?? throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The ranked list of query {q} is null. Pass an empty array for a query with no results."),
                    nameof(rankedRelevances));
            sum += AveragePrecision((ReadOnlySpan<double>)list, totalRelevant[q], relevanceThreshold);
        }

        return sum / rankedRelevances.Count;
    }

    /// <summary>Counts the relevant items (grade at least <paramref name="relevanceThreshold"/>) among the given grades.</summary>
    /// <param name="relevances">The relevance grades, for example all judged grades of a query.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>The number of relevant items; 0 for empty input.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relevanceThreshold"/> is not a finite positive number.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static int CountRelevant(ReadOnlySpan<double> relevances, double relevanceThreshold = 1.0)
    {
        ValidateThreshold(relevanceThreshold);
        ValidateRelevances(relevances, NdcgGain.Linear, nameof(relevances));
        return CountAtOrAbove(relevances, relevanceThreshold);
    }

    /// <summary>Counts the relevant items (grade at least <paramref name="relevanceThreshold"/>) among the given grades.</summary>
    /// <param name="relevances">The relevance grades, for example all judged grades of a query.</param>
    /// <param name="relevanceThreshold">The smallest grade that counts as relevant. The default is 1.0.</param>
    /// <returns>The number of relevant items; 0 for empty input.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="relevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relevanceThreshold"/> is not a finite positive number.</exception>
    /// <exception cref="ArgumentException">A grade is NaN, infinite or negative.</exception>
    public static int CountRelevant(double[] relevances, double relevanceThreshold = 1.0)
    {
        ArgumentNullException.ThrowIfNull(relevances);
        return CountRelevant((ReadOnlySpan<double>)relevances, relevanceThreshold);
    }

    // DCG <= IDCG holds exactly in real arithmetic; summing the same gains in another order (or tie-averaged) can
    // overshoot by an ulp, so the ratio is clamped to keep the documented [0, 1] range.
    private static double Ratio(double dcg, double idcg) => Math.Min(1.0, dcg / idcg);

    private static double Discount(int zeroBasedRank) =>
        (uint)zeroBasedRank < (uint)Discounts.Length ? Discounts[zeroBasedRank] : ComputeDiscount(zeroBasedRank);

    private static double ComputeDiscount(int zeroBasedRank) => 1.0 / Math.Log2(zeroBasedRank + 2);

    private static double[] CreateDiscounts(int length)
    {
        var table = new double[length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = ComputeDiscount(i);
        }

        return table;
    }

    // Grades are validated (finite, 0..MaxExponentialGrade for exponential gain), so a whole grade indexes the table.
    private static double Gain(double grade, NdcgGain gain)
    {
        if (gain == NdcgGain.Linear)
        {
            return grade;
        }

        int whole = (int)grade;
        return whole == grade ? ExponentialGains[whole] : ComputeExponentialGain(grade);
    }

    private static double ComputeExponentialGain(double grade) => Math.Pow(2.0, grade) - 1.0;

    private static double[] CreateExponentialGains(int length)
    {
        var table = new double[length];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = ComputeExponentialGain(i);
        }

        return table;
    }

    // Sums gain_i * discount_i in rank order (the order trec_eval and scikit-learn sum in).
    private static double Dcg(ReadOnlySpan<double> grades, NdcgGain gain)
    {
        double sum = 0.0;
        if (gain == NdcgGain.Linear && grades.Length <= Discounts.Length)
        {
            ReadOnlySpan<double> discounts = Discounts.AsSpan(0, grades.Length);
            for (int i = 0; i < grades.Length; i++)
            {
                sum += grades[i] * discounts[i];
            }

            return sum;
        }

        for (int i = 0; i < grades.Length; i++)
        {
            sum += Gain(grades[i], gain) * Discount(i);
        }

        return sum;
    }

    // Sums the discounts of the zero-based ranks [start, end) in rank order.
    private static double DiscountSum(int start, int end)
    {
        double sum = 0.0;
        for (int rank = start; rank < end; rank++)
        {
            sum += Discount(rank);
        }

        return sum;
    }

    private static int SelectionScratchLength(int sourceLength, int size) => size <= MaxSelectionSize ? size : sourceLength;

    // Writes the size largest values of source (size <= source.Length), in descending order, to the start of scratch
    // (at least SelectionScratchLength(source.Length, size) long) and returns that part. Equal values are
    // interchangeable, so the result equals the first size values of source sorted in descending order.
    private static Span<double> LargestDescending(ReadOnlySpan<double> source, int size, Span<double> scratch)
    {
        if (size > MaxSelectionSize)
        {
            Span<double> all = scratch[..source.Length];
            source.CopyTo(all);
            SortDescending(all);
            return all[..size];
        }

        Span<double> top = scratch[..size];
        if (size > 0 && !TryLargestWholeGrades(source, top))
        {
            SelectLargest(source, [], size, top, []);
        }

        return top;
    }

    // NdcgWithTies for 1 <= cutoff <= MaxSelectionSize without sorting the list: the cutoff best-scored items are
    // selected into a sorted buffer. Every item scoring above the lowest selected score is in the buffer, so the tie
    // groups above it are complete there; the group at that score may extend past the cutoff and is gathered from the
    // whole list. Groups are added in rank order, as the sorting implementation does. Returns the tie-averaged NDCG
    // when normalize is set, else the tie-averaged DCG.
    private static double TieAveragedSmallCutoff(
        ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, int cutoff, NdcgGain gain, bool normalize)
    {
        double idcg = 0.0;
        if (normalize)
        {
            Span<double> idealScratch = stackalloc double[MaxSelectionSize];
            idcg = Dcg(LargestDescending(relevances, cutoff, idealScratch), gain);
            if (idcg == 0.0)
            {
                return 0.0;
            }
        }

        Span<double> topScores = stackalloc double[MaxSelectionSize];
        Span<double> topGrades = stackalloc double[MaxSelectionSize];
        topScores = topScores[..cutoff];
        topGrades = topGrades[..cutoff];
        SelectLargest(scores, relevances, cutoff, topScores, topGrades);

        double boundary = topScores[cutoff - 1];
        double dcg = 0.0;
        int start = 0;
        while (topScores[start] != boundary)
        {
            int end = start + 1;
            double groupGain = Gain(topGrades[start], gain);
            while (topScores[end] == topScores[start])
            {
                groupGain += Gain(topGrades[end], gain);
                end++;
            }

            dcg += groupGain / (end - start) * DiscountSum(start, end);
            start = end;
        }

        double boundaryGain = 0.0;
        int boundaryCount = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] == boundary)
            {
                boundaryGain += Gain(relevances[i], gain);
                boundaryCount++;
            }
        }

        dcg += boundaryGain / boundaryCount * DiscountSum(start, cutoff);
        return normalize ? Ratio(dcg, idcg) : dcg;
    }

    // NdcgWithTies for larger cutoffs: sorts the whole list by descending score. Returns the tie-averaged NDCG when
    // normalize is set, else the tie-averaged DCG.
    private static double TieAveragedFullSort(
        ReadOnlySpan<double> scores, ReadOnlySpan<double> relevances, int cutoff, NdcgGain gain, bool normalize)
    {
        int count = scores.Length;
        double[]? rented = null;
        Span<double> buffer = 2 * count <= StackallocThreshold
            ? stackalloc double[StackallocThreshold]
            : (rented = ArrayPool<double>.Shared.Rent(2 * count));
        try
        {
            Span<double> keys = buffer[..count];
            Span<double> gains = buffer.Slice(count, count);
            for (int i = 0; i < count; i++)
            {
                keys[i] = -scores[i];
                gains[i] = Gain(relevances[i], gain);
            }

            // Ascending order of -score = descending score. Tied items end up adjacent, in arbitrary order.
            keys.Sort(gains);

            double dcg = 0.0;
            int start = 0;
            while (start < cutoff)
            {
                int end = start + 1;
                double groupGain = gains[start];
                while (end < count && keys[end] == keys[start])
                {
                    groupGain += gains[end];
                    end++;
                }

                dcg += groupGain / (end - start) * DiscountSum(start, Math.Min(end, cutoff));
                start = end;
            }

            if (!normalize)
            {
                return dcg;
            }

            SortDescending(gains);
            double idcg = 0.0;
            for (int i = 0; i < cutoff; i++)
            {
                idcg += gains[i] * Discount(i);
            }

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

    private static void SortDescending(Span<double> values)
    {
        values.Sort();
        values.Reverse();
    }

    private static int CountAtOrAbove(ReadOnlySpan<double> relevances, double threshold)
    {
        int count = 0;
        for (int i = 0; i < relevances.Length; i++)
        {
            if (relevances[i] >= threshold)
            {
                count++;
            }
        }

        return count;
    }

    private static void ValidateGain(NdcgGain gain)
    {
        if (gain is not NdcgGain.Linear and not NdcgGain.Exponential)
        {
            throw new ArgumentOutOfRangeException(
                nameof(gain), gain, $"Unknown gain. Use {nameof(NdcgGain)}.{nameof(NdcgGain.Linear)} or {nameof(NdcgGain)}.{nameof(NdcgGain.Exponential)}.");
        }
    }

    private static void ValidateThreshold(double relevanceThreshold)
    {
        if (!double.IsFinite(relevanceThreshold) || relevanceThreshold <= 0.0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(relevanceThreshold),
                relevanceThreshold,
                "The relevance threshold must be a finite number greater than 0 (grades at or above it count as relevant). The usual value is 1.0.");
        }
    }

    private static void ValidateFinite(ReadOnlySpan<double> values, string paramName)
    {
        // SIMD fast path: NaN propagates through Min and Max, and infinities show in them.
        if (values.IsEmpty || (double.IsFinite(TensorPrimitives.Min(values)) && double.IsFinite(TensorPrimitives.Max(values))))
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{paramName}[{i}] is {values[i]}. Every score must be a finite number; replace NaN or infinite scores before ranking."),
                    paramName);
            }
        }
    }

    private static void ValidateRelevances(ReadOnlySpan<double> values, NdcgGain gain, string paramName)
    {
        // SIMD fast path: NaN propagates through Min and fails the comparison; +Infinity exceeds either upper bound.
        double upper = gain == NdcgGain.Exponential ? MaxExponentialGrade : double.MaxValue;
        if (values.IsEmpty || (TensorPrimitives.Min(values) >= 0.0 && TensorPrimitives.Max(values) <= upper))
        {
            return;
        }

        // Slow path: find the first bad grade and name it.
        for (int i = 0; i < values.Length; i++)
        {
            double value = values[i];
            if (!double.IsFinite(value) || value < 0.0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{paramName}[{i}] is {value}. Relevance grades must be finite and non-negative (use 0 for non-relevant or unjudged items)."),
                    paramName);
            }

            if (gain == NdcgGain.Exponential && value > MaxExponentialGrade)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{paramName}[{i}] is {value}, above {MaxExponentialGrade}, where the exponential gain 2^grade - 1 overflows. Use {nameof(NdcgGain)}.{nameof(NdcgGain.Linear)} or rescale the grades."),
                    paramName);
            }
        }
    }

    private static void ValidateTotalRelevant(ReadOnlySpan<double> rankedRelevances, int totalRelevant, double relevanceThreshold)
    {
        int retrieved = CountAtOrAbove(rankedRelevances, relevanceThreshold);
        if (totalRelevant < retrieved)
        {
            throw new ArgumentOutOfRangeException(
                nameof(totalRelevant),
                totalRelevant,
                string.Create(CultureInfo.InvariantCulture, $"The ranked list alone holds {retrieved} relevant items, more than totalRelevant. Pass the number of relevant items among all judged items (see {nameof(CountRelevant)})."));
        }
    }
}
