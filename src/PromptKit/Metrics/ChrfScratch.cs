using System.Runtime.CompilerServices;
using System.Text;

namespace PromptKit;

/// <summary>
/// Per-thread working memory of <see cref="ChrfMetric"/>: turns one segment's hypothesis and references into code
/// point and word-id sequences and counts their n-grams. After warm-up a segment is scored without allocating.
/// </summary>
internal sealed class ChrfScratch
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";   // Python string.punctuation

    [ThreadStatic]
    private static ChrfScratch? _current;

    private readonly TokenInterner _interner = new();
    private readonly NGramTable _table = new();
    private readonly ChrfCharacterCounter _characters = new();
    private readonly long[] _hypothesisTotals = new long[64];
    private readonly long[] _referenceTotals = new long[64];
    private readonly long[] _matches = new long[64];
    private readonly long[] _bestHypothesis = new long[64];
    private readonly long[] _bestReference = new long[64];
    private readonly long[] _bestMatches = new long[64];
    private char[] _lowered = new char[256];
    private int[] _sequence = new int[512];
    private int _sequenceLength;
    private int[] _charOffsets = new int[8];   // [0] = hypothesis, [1..] = references
    private int[] _charLengths = new int[8];
    private int[] _wordOffsets = new int[8];
    private int[] _wordLengths = new int[8];
    private int _segmentCount;

    /// <summary>Gets the calling thread's instance.</summary>
    public static ChrfScratch Current => _current ??= new ChrfScratch();

    /// <summary>Gets the number of references added.</summary>
    public int ReferenceCount => _segmentCount - 1;

    /// <summary>Gets the hypothesis counts of the best reference (after <see cref="Compute"/>).</summary>
    public ReadOnlySpan<long> BestHypothesis(int orders) => _bestHypothesis.AsSpan(0, orders);

    /// <summary>Gets the reference counts of the best reference (after <see cref="Compute"/>).</summary>
    public ReadOnlySpan<long> BestReference(int orders) => _bestReference.AsSpan(0, orders);

    /// <summary>Gets the match counts of the best reference (after <see cref="Compute"/>).</summary>
    public ReadOnlySpan<long> BestMatches(int orders) => _bestMatches.AsSpan(0, orders);

    /// <summary>Starts a segment; the hypothesis must be added first, then the references.</summary>
    public void Begin()
    {
        _interner.Reset();
        _sequenceLength = 0;
        _segmentCount = 0;
    }

    /// <summary>
    /// Adds a hypothesis or reference: optional lower-casing (<c>CHRF._preprocess_segment</c>), its code points
    /// without whitespace unless <paramref name="includeWhitespace"/> (<c>extract_all_char_ngrams</c>), and with
    /// <paramref name="words"/> its words with one leading or trailing ASCII punctuation mark split off
    /// (<c>CHRF._remove_punctuation</c>).
    /// </summary>
    public void AddSegment(ReadOnlySpan<char> text, bool lowercase, bool includeWhitespace, bool words)
    {
        if (lowercase)
        {
            int length = PythonText.Lower(text, ref _lowered);
            text = _lowered.AsSpan(0, length);
        }

        // At most one code point per UTF-16 unit, and at most two words per UTF-16 unit.
        PythonText.Grow(ref _sequence, checked(_sequenceLength + (text.Length * (words ? 2 : 1))));
        if (_segmentCount == _charOffsets.Length)
        {
            int size = _segmentCount * 2;
            Array.Resize(ref _charOffsets, size);
            Array.Resize(ref _charLengths, size);
            Array.Resize(ref _wordOffsets, size);
            Array.Resize(ref _wordLengths, size);
        }

        int charOffset = _sequenceLength;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (!includeWhitespace && PythonText.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (!char.IsSurrogate(c))
            {
                _sequence[_sequenceLength++] = c;
                i++;
            }
            else if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                _sequence[_sequenceLength++] = rune.Value;
                i += consumed;
            }
            else
            {
                _sequence[_sequenceLength++] = c;   // lone surrogate: one Python code point
                i++;
            }
        }

        _charOffsets[_segmentCount] = charOffset;
        _charLengths[_segmentCount] = _sequenceLength - charOffset;

        int wordOffset = _sequenceLength;
        if (words)
        {
            AddWords(text);
        }

        _wordOffsets[_segmentCount] = wordOffset;
        _wordLengths[_segmentCount] = _sequenceLength - wordOffset;
        _segmentCount++;
    }

    /// <summary>
    /// Computes sacrebleu's segment statistics (<c>CHRF._compute_segment_statistics</c>): for each reference the
    /// per-order [hypothesis, reference, match] counts, keeping those of the reference with the highest F-score
    /// (the first one on ties).
    /// </summary>
    public void Compute(int charOrder, int wordOrder, int beta, bool epsSmoothing)
    {
        int orders = charOrder + wordOrder;
        bool packed = _characters.TryCountHypothesis(_sequence.AsSpan(_charOffsets[0], _charLengths[0]), charOrder);

        // Only the hypothesis n-grams are stored (see CountReference). Characters use the trie only when they do not
        // fit packed keys (see ChrfCharacterCounter).
        long bound = (packed ? 0 : NGramCount(_charLengths[0], charOrder)) + NGramCount(_wordLengths[0], wordOrder);
        _table.Reset((int)Math.Min(bound, 1 << 26));
        if (!packed)
        {
            CountHypothesis(_charOffsets[0], _charLengths[0], charOrder, NGramTable.Root(0));
        }

        CountHypothesis(_wordOffsets[0], _wordLengths[0], wordOrder, NGramTable.Root(1));

        double best = -1.0;
        for (int r = 1; r < _segmentCount; r++)
        {
            Array.Clear(_matches, 0, orders);
            if (packed)
            {
                _characters.CountReference(r, _sequence.AsSpan(_charOffsets[r], _charLengths[r]), _matches);
            }
            else
            {
                CountReference(r, _charOffsets[r], _charLengths[r], charOrder, 0, NGramTable.Root(0));
            }

            CountReference(r, _wordOffsets[r], _wordLengths[r], wordOrder, charOrder, NGramTable.Root(1));
            for (int k = 0; k < orders; k++)
            {
                bool isWord = k >= charOrder;
                int n = isWord ? k - charOrder + 1 : k + 1;
                long hypothesisTotal = Math.Max(0, (isWord ? _wordLengths[0] : _charLengths[0]) - n + 1);
                long referenceTotal = Math.Max(0, (isWord ? _wordLengths[r] : _charLengths[r]) - n + 1);
                _hypothesisTotals[k] = referenceTotal > 0 ? hypothesisTotal : 0;   // sacrebleu: no hits without reference n-grams
                _referenceTotals[k] = referenceTotal;
            }

            double f = ChrfMetric.ComputeFScore(
                _hypothesisTotals.AsSpan(0, orders), _referenceTotals.AsSpan(0, orders), _matches.AsSpan(0, orders), beta, epsSmoothing);
            if (f > best)
            {
                best = f;
                _hypothesisTotals.AsSpan(0, orders).CopyTo(_bestHypothesis);
                _referenceTotals.AsSpan(0, orders).CopyTo(_bestReference);
                _matches.AsSpan(0, orders).CopyTo(_bestMatches);
            }
        }
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

    private void AddWords(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && PythonText.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && !PythonText.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            // sacrebleu's _remove_punctuation: '(hi)' -> '(hi', ')'; ',hi' -> ',', 'hi'; a one-character word stays.
            // A single astral code point (2 UTF-16 units) takes the last branch either way: surrogates are not punctuation.
            ReadOnlySpan<char> word = text[start..i];
            if (word.Length == 1)
            {
                AddWord(word);
            }
            else if (Punctuation.Contains(word[^1], StringComparison.Ordinal))
            {
                AddWord(word[..^1]);
                AddWord(word[^1..]);
            }
            else if (Punctuation.Contains(word[0], StringComparison.Ordinal))
            {
                AddWord(word[..1]);
                AddWord(word[1..]);
            }
            else
            {
                AddWord(word);
            }
        }
    }

    private void AddWord(ReadOnlySpan<char> word) => _sequence[_sequenceLength++] = _interner.Intern(word);

    private void CountHypothesis(int offset, int length, int maxOrder, int root)
    {
        int[] sequence = _sequence;
        for (int p = 0; p < length; p++)
        {
            int parent = root;
            int limit = Math.Min(maxOrder, length - p);
            for (int n = 1; n <= limit; n++)
            {
                ref NGramTable.Entry entry = ref _table.FindOrAdd(parent, sequence[offset + p + n - 1]);
                entry.Hypothesis++;
                parent = entry.Id;
            }
        }
    }

    private void CountReference(int reference, int offset, int length, int maxOrder, int kindOffset, int root)
    {
        int[] sequence = _sequence;
        for (int p = 0; p < length; p++)
        {
            int parent = root;
            int limit = Math.Min(maxOrder, length - p);
            for (int n = 1; n <= limit; n++)
            {
                ref NGramTable.Entry entry = ref _table.Find(parent, sequence[offset + p + n - 1]);
                if (Unsafe.IsNullRef(ref entry))
                {
                    break;   // not a hypothesis n-gram: it matches nothing, and neither does any extension of it
                }

                parent = entry.Id;
                if (entry.Stamp != reference)
                {
                    entry.Stamp = reference;
                    entry.Current = 0;
                }

                if (++entry.Current <= entry.Hypothesis)
                {
                    _matches[kindOffset + n - 1]++;
                }
            }
        }
    }
}
