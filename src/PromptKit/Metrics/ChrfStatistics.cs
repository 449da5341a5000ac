namespace PromptKit;

/// <summary>
/// Sufficient statistics of chrF summed over segments: for each character order, then each word order, the number
/// of hypothesis n-grams, reference n-grams and matching n-grams (of the best reference of each segment).
/// </summary>
/// <remarks>
/// <para>
/// An accumulator, like <see cref="BleuStatistics"/>: fill it with
/// <see cref="ChrfMetric.Accumulate(string, IReadOnlyList{string}, ChrfStatistics)"/> or <see cref="Add(ChrfStatistics)"/>
/// and score it with <see cref="ChrfMetric.Score(ChrfStatistics)"/>. Index <c>i</c> of each span is character order
/// <c>i + 1</c> for <c>i &lt; CharOrder</c>, then word order <c>i - CharOrder + 1</c>.
/// </para>
/// <para>Instances are not thread-safe.</para>
/// </remarks>
public sealed class ChrfStatistics
{
    private readonly long[] _hypothesis;
    private readonly long[] _reference;
    private readonly long[] _matches;
    private int _minReferenceCount;
    private int _maxReferenceCount;

    /// <summary>Initializes a new instance of the <see cref="ChrfStatistics"/> class with no segments.</summary>
    /// <param name="charOrder">The character n-gram order; must equal the metric's <see cref="ChrfOptions.CharOrder"/>.</param>
    /// <param name="wordOrder">The word n-gram order; must equal the metric's <see cref="ChrfOptions.WordOrder"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An order is negative or above 32, or both are 0.</exception>
    public ChrfStatistics(int charOrder = 6, int wordOrder = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charOrder);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(charOrder, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(wordOrder);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wordOrder, 32);
        if (charOrder + wordOrder == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(wordOrder), wordOrder, "charOrder and wordOrder are both 0; at least one must be positive.");
        }

        CharOrder = charOrder;
        WordOrder = wordOrder;
        _hypothesis = new long[charOrder + wordOrder];
        _reference = new long[charOrder + wordOrder];
        _matches = new long[charOrder + wordOrder];
    }

    /// <summary>Gets the character n-gram order.</summary>
    public int CharOrder { get; }

    /// <summary>Gets the word n-gram order.</summary>
    public int WordOrder { get; }

    /// <summary>Gets the number of segments added.</summary>
    public int SegmentCount { get; private set; }

    /// <summary>Gets the hypothesis n-gram counts per order (0 for an order the reference lacks, as in sacrebleu).</summary>
    public ReadOnlySpan<long> HypothesisCounts => _hypothesis;

    /// <summary>Gets the reference n-gram counts per order.</summary>
    public ReadOnlySpan<long> ReferenceCounts => _reference;

    /// <summary>Gets the matching n-gram counts per order (the multiset intersection).</summary>
    public ReadOnlySpan<long> MatchCounts => _matches;

    /// <summary>
    /// Gets the number of references every segment had, or <see langword="null"/> when it varied or no segment was
    /// added (<c>nrefs:var</c>); pass it to <see cref="ChrfMetric.GetSignature(int?)"/>.
    /// </summary>
    public int? ReferenceCount => SegmentCount > 0 && _minReferenceCount == _maxReferenceCount ? _minReferenceCount : null;

    /// <summary>Adds the statistics of <paramref name="other"/> to this instance.</summary>
    /// <param name="other">The statistics to add.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has different orders.</exception>
    public void Add(ChrfStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.CharOrder != CharOrder || other.WordOrder != WordOrder)
        {
            throw new ArgumentException(
                $"The statistics have orders (char {other.CharOrder}, word {other.WordOrder}) but this instance has (char {CharOrder}, word {WordOrder}). Add only statistics of the same orders.",
                nameof(other));
        }

        if (other.SegmentCount == 0)
        {
            return;
        }

        AddCounts(other._hypothesis, other._reference, other._matches);
        TrackReferenceCounts(other._minReferenceCount, other._maxReferenceCount);
        SegmentCount += other.SegmentCount;
    }

    /// <summary>Removes all segments.</summary>
    public void Clear()
    {
        Array.Clear(_hypothesis);
        Array.Clear(_reference);
        Array.Clear(_matches);
        SegmentCount = 0;
        _minReferenceCount = 0;
        _maxReferenceCount = 0;
    }

    /// <summary>Adds one segment's statistics.</summary>
    internal void AddSegment(ReadOnlySpan<long> hypothesis, ReadOnlySpan<long> reference, ReadOnlySpan<long> matches, int referenceCount)
    {
        AddCounts(hypothesis, reference, matches);
        TrackReferenceCounts(referenceCount, referenceCount);
        SegmentCount++;
    }

    private void AddCounts(ReadOnlySpan<long> hypothesis, ReadOnlySpan<long> reference, ReadOnlySpan<long> matches)
    {
        for (int i = 0; i < _hypothesis.Length; i++)
        {
            _hypothesis[i] += hypothesis[i];
            _reference[i] += reference[i];
            _matches[i] += matches[i];
        }
    }

    private void TrackReferenceCounts(int min, int max)
    {
        _minReferenceCount = SegmentCount == 0 ? min : Math.Min(_minReferenceCount, min);
        _maxReferenceCount = SegmentCount == 0 ? max : Math.Max(_maxReferenceCount, max);
    }
}
