using System.Runtime.CompilerServices;

namespace PromptKit;

/// <summary>
/// Per-thread working memory of <see cref="BleuMetric"/>: tokenizes one segment's hypothesis and references into
/// token ids and counts their n-grams. After warm-up a segment is scored without allocating.
/// </summary>
internal sealed class BleuScratch
{
    [ThreadStatic]
    private static BleuScratch? _current;

    private readonly TokenBuffer _tokens = new();
    private readonly TokenInterner _interner = new();
    private readonly NGramTable _table = new();
    private readonly long[] _counts = new long[32];
    private NGramTable.Entry[] _unigrams = new NGramTable.Entry[128];   // indexed by token id
    private readonly long[] _totals = new long[32];
    private char[] _lowered = new char[256];
    private int[] _sequence = new int[256];
    private int _sequenceLength;
    private int[] _segmentOffsets = new int[8];   // [0] = hypothesis, [1..] = references
    private int[] _segmentLengths = new int[8];
    private int _segmentCount;

    /// <summary>Gets the calling thread's instance.</summary>
    public static BleuScratch Current => _current ??= new BleuScratch();

    /// <summary>Gets the hypothesis length in tokens (after <see cref="Compute"/>).</summary>
    public int HypothesisLength { get; private set; }

    /// <summary>Gets the closest reference length (after <see cref="Compute"/>).</summary>
    public int ClosestReferenceLength { get; private set; }

    /// <summary>Gets the number of references added.</summary>
    public int ReferenceCount => _segmentCount - 1;

    /// <summary>Gets the clipped matches per order (after <see cref="Compute"/>).</summary>
    public ReadOnlySpan<long> Counts(int maxOrder) => _counts.AsSpan(0, maxOrder);

    /// <summary>Gets the hypothesis n-gram totals per order (after <see cref="Compute"/>).</summary>
    public ReadOnlySpan<long> Totals(int maxOrder) => _totals.AsSpan(0, maxOrder);

    /// <summary>Starts a segment; the hypothesis must be added first, then the references.</summary>
    public void Begin()
    {
        _interner.Reset();
        _sequenceLength = 0;
        _segmentCount = 0;
    }

    /// <summary>Lower-cases (optionally), right-strips and tokenizes <paramref name="text"/>, as sacrebleu's <c>BLEU._preprocess_segment</c>.</summary>
    public void AddSegment(ReadOnlySpan<char> text, SacreBleuTokenizer tokenizer, bool lowercase)
    {
        if (lowercase)
        {
            int length = PythonText.Lower(text, ref _lowered);
            text = _lowered.AsSpan(0, length);
        }

        text = text[..PythonText.RStripLength(text)];
        tokenizer.Tokenize(text, _tokens);
        int count = _tokens.Count;
        PythonText.Grow(ref _sequence, checked(_sequenceLength + count));
        int offset = _sequenceLength;
        for (int i = 0; i < count; i++)
        {
            _sequence[offset + i] = _interner.Intern(_tokens[i]);
        }

        _sequenceLength += count;
        if (_segmentCount == _segmentOffsets.Length)
        {
            Array.Resize(ref _segmentOffsets, _segmentCount * 2);
            Array.Resize(ref _segmentLengths, _segmentCount * 2);
        }

        _segmentOffsets[_segmentCount] = offset;
        _segmentLengths[_segmentCount] = count;
        _segmentCount++;
    }

    /// <summary>
    /// Computes sacrebleu's segment statistics (<c>BLEU._compute_segment_statistics</c>): reference n-gram counts
    /// are the maximum over the references, hypothesis counts are clipped by them, and the reference length is
    /// the closest one (the shorter on ties).
    /// </summary>
    /// <remarks>
    /// Only the hypothesis n-grams are stored. A reference n-gram that is not among them matches nothing, and neither
    /// does any longer n-gram that extends it, so the reference scan stops there. Each n-gram's clipped count,
    /// min(hypothesis count, maximum reference count), is accumulated one step at a time: whenever a reference's running
    /// count exceeds the maximum of the earlier ones, the maximum grows by one and the match count does too while it
    /// stays within the hypothesis count.
    /// </remarks>
    public void Compute(int maxOrder)
    {
        int hypothesisOffset = _segmentOffsets[0];
        int hypothesisLength = _segmentLengths[0];
        // Unigrams are counted in _unigrams by token id; the table holds the longer n-grams, with ids after the token ids.
        int tokenCount = _interner.Count;
        PythonText.Grow(ref _unigrams, tokenCount);
        Span<NGramTable.Entry> unigrams = _unigrams.AsSpan(0, tokenCount);
        unigrams.Clear();
        _table.Reset((int)Math.Min(NGramCount(hypothesisLength, maxOrder) - hypothesisLength, 1 << 26), tokenCount);
        Array.Clear(_counts);
        Array.Clear(_totals);
        int[] sequence = _sequence;
        for (int n = 1; n <= maxOrder && n <= hypothesisLength; n++)
        {
            _totals[n - 1] = hypothesisLength - n + 1;
        }

        for (int p = 0; p < hypothesisLength; p++)
        {
            int parent = sequence[hypothesisOffset + p];
            unigrams[parent].Hypothesis++;
            int limit = Math.Min(maxOrder, hypothesisLength - p);
            for (int n = 2; n <= limit; n++)
            {
                ref NGramTable.Entry entry = ref _table.FindOrAdd(parent, sequence[hypothesisOffset + p + n - 1]);
                parent = entry.Id;
                entry.Hypothesis++;
            }
        }

        for (int r = 1; r < _segmentCount; r++)
        {
            int offset = _segmentOffsets[r];
            int length = _segmentLengths[r];
            for (int p = 0; p < length; p++)
            {
                int parent = sequence[offset + p];
                int limit = Math.Min(maxOrder, length - p);
                for (int n = 1; n <= limit; n++)
                {
                    ref NGramTable.Entry entry = ref n == 1 ? ref unigrams[parent] : ref _table.Find(parent, sequence[offset + p + n - 1]);
                    if (Unsafe.IsNullRef(ref entry) || entry.Hypothesis == 0)
                    {
                        break;
                    }

                    parent = n == 1 ? parent : entry.Id;
                    if (entry.Stamp != r)
                    {
                        entry.Stamp = r;
                        entry.Current = 0;
                    }

                    if (++entry.Current > entry.Max)
                    {
                        entry.Max = entry.Current;
                        if (entry.Max <= entry.Hypothesis)
                        {
                            _counts[n - 1]++;
                        }
                    }
                }
            }
        }

        HypothesisLength = hypothesisLength;
        ClosestReferenceLength = ClosestLength(hypothesisLength);
    }

    private static long NGramCount(int length, int maxOrder)
    {
        long count = 0;
        for (int n = 1; n <= maxOrder && n <= length; n++)
        {
            count += length - n + 1;
        }

        return count;
    }

    private int ClosestLength(int hypothesisLength)
    {
        // sacrebleu BLEU._get_closest_ref_len: smallest |hyp - ref|, the shorter reference on ties.
        int closestDifference = -1;
        int closestLength = -1;
        for (int r = 1; r < _segmentCount; r++)
        {
            int length = _segmentLengths[r];
            int difference = Math.Abs(hypothesisLength - length);
            if (closestDifference == -1 || difference < closestDifference)
            {
                closestDifference = difference;
                closestLength = length;
            }
            else if (difference == closestDifference && length < closestLength)
            {
                closestLength = length;
            }
        }

        return closestLength;
    }
}
