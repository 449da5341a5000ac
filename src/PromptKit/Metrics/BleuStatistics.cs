namespace PromptKit;

/// <summary>
/// Sufficient statistics of BLEU summed over segments: hypothesis and closest-reference lengths, matched (clipped)
/// and total n-gram counts per order. A corpus score is the score of the summed statistics of its segments.
/// </summary>
/// <remarks>
/// <para>
/// This is an accumulator: fill it with <see cref="BleuMetric.Accumulate(string, IReadOnlyList{string}, BleuStatistics)"/>
/// or <see cref="Add(BleuStatistics)"/> and turn it into a score with <see cref="BleuMetric.Score(BleuStatistics)"/>.
/// Counts are the raw counts: smoothing (including add-k) is applied when the score is computed.
/// </para>
/// <para>Instances are not thread-safe; use one per thread or synchronise.</para>
/// </remarks>
public sealed class BleuStatistics
{
    private readonly long[] _counts;
    private readonly long[] _totals;
    private int _minReferenceCount;
    private int _maxReferenceCount;

    /// <summary>Initializes a new instance of the <see cref="BleuStatistics"/> class with no segments.</summary>
    /// <param name="maxNgramOrder">The maximum n-gram order; must equal the scoring metric's <see cref="BleuOptions.MaxNgramOrder"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNgramOrder"/> is not between 1 and 32.</exception>
    public BleuStatistics(int maxNgramOrder = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNgramOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxNgramOrder, 32);
        _counts = new long[maxNgramOrder];
        _totals = new long[maxNgramOrder];
    }

    /// <summary>Gets the maximum n-gram order.</summary>
    public int MaxNgramOrder => _counts.Length;

    /// <summary>Gets the number of segments added.</summary>
    public int SegmentCount { get; private set; }

    /// <summary>Gets the summed hypothesis length in tokens (sacrebleu <c>sys_len</c>).</summary>
    public long SystemLength { get; private set; }

    /// <summary>Gets the summed closest-reference length in tokens (sacrebleu <c>ref_len</c>).</summary>
    public long ReferenceLength { get; private set; }

    /// <summary>Gets the matched n-gram counts, clipped by the reference counts; index 0 holds unigrams.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Gets the hypothesis n-gram counts; index 0 holds unigrams.</summary>
    public ReadOnlySpan<long> Totals => _totals;

    /// <summary>
    /// Gets the number of references every segment had, or <see langword="null"/> when it varied or no segment was
    /// added (sacrebleu's <c>nrefs:var</c>); pass it to <see cref="BleuMetric.GetSignature(int?)"/>.
    /// </summary>
    public int? ReferenceCount => SegmentCount > 0 && _minReferenceCount == _maxReferenceCount ? _minReferenceCount : null;

    /// <summary>Adds the statistics of <paramref name="other"/> to this instance.</summary>
    /// <param name="other">The statistics to add.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has a different <see cref="MaxNgramOrder"/>.</exception>
    public void Add(BleuStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.MaxNgramOrder != MaxNgramOrder)
        {
            throw new ArgumentException(
                $"The statistics have max n-gram order {other.MaxNgramOrder} but this instance has {MaxNgramOrder}. Add only statistics of the same order.",
                nameof(other));
        }

        if (other.SegmentCount == 0)
        {
            return;
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
            _totals[i] += other._totals[i];
        }

        SystemLength += other.SystemLength;
        ReferenceLength += other.ReferenceLength;
        TrackReferenceCounts(other._minReferenceCount, other._maxReferenceCount);
        SegmentCount += other.SegmentCount;
    }

    /// <summary>Removes all segments.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Array.Clear(_totals);
        SystemLength = 0;
        ReferenceLength = 0;
        SegmentCount = 0;
        _minReferenceCount = 0;
        _maxReferenceCount = 0;
    }

    /// <summary>Adds one segment's statistics.</summary>
    internal void AddSegment(int hypothesisLength, int referenceLength, ReadOnlySpan<long> counts, ReadOnlySpan<long> totals, int referenceCount)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += counts[i];
            _totals[i] += totals[i];
        }

        SystemLength += hypothesisLength;
        ReferenceLength += referenceLength;
        TrackReferenceCounts(referenceCount, referenceCount);
        SegmentCount++;
    }

    private void TrackReferenceCounts(int min, int max)
    {
        _minReferenceCount = SegmentCount == 0 ? min : Math.Min(_minReferenceCount, min);
        _maxReferenceCount = SegmentCount == 0 ? max : Math.Max(_maxReferenceCount, max);
    }
}
