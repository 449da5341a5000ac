using System.Numerics;

namespace PromptKit;

/// <summary>
/// Per-thread scratch for ROUGE scoring: rouge-score's tokenizer over a reused character buffer, a vocabulary that
/// maps each distinct token to a dense id (hash plus ordinal equality, no strings), and reused count buffers, so that
/// scoring allocates nothing once the buffers have grown to the input sizes.
/// </summary>
/// <remarks>Not thread-safe: <see cref="Rent"/> hands each thread its own instance.</remarks>
internal sealed class RougeWorkspace
{
    /// <summary>Buffers larger than this many elements are not kept for the next call on the thread.</summary>
    private const int MaxRetainedLength = 1 << 18;

    [ThreadStatic]
    private static RougeWorkspace? _cached;

    // Lowercase [a-z0-9] characters of every distinct token seen since Reset; token text lives here.
    private char[] _chars = new char[256];
    private int _charCount;

    // Vocabulary: open addressing; a slot holds entry index + 1 (0 = empty).
    private int[] _slots = new int[128];
    private int[] _entryStart = new int[64];
    private int[] _entryLength = new int[64];
    private int[] _entryHash = new int[64];

    // Count scratch, indexed by token id or n-gram id.
    private int[] _countsA = new int[64];
    private int[] _countsB = new int[64];

    // N-gram table (n >= 2): a slot holds n-gram id + 1; an n-gram id maps to its first occurrence and hash.
    private int[] _gramSlots = new int[128];
    private int[] _gramFirst = new int[64];
    private int[] _gramHash = new int[64];

    // Scratch rows and marks for the LCS computations.
    private int[] _rowsOrMarks = new int[128];

    /// <summary>Gets the tokens of the reference (rouge-score's target).</summary>
    public RougeTokenSequence Reference { get; } = new();

    /// <summary>Gets the tokens of the prediction.</summary>
    public RougeTokenSequence Prediction { get; } = new();

    /// <summary>Gets the number of distinct tokens seen since <see cref="Reset"/>; token ids are below it.</summary>
    public int VocabularySize { get; private set; }

    /// <summary>Takes this thread's workspace (or a new one when it is in use or was dropped).</summary>
    public static RougeWorkspace Rent()
    {
        RougeWorkspace? workspace = _cached;
        _cached = null;
        return workspace ?? new RougeWorkspace();
    }

    /// <summary>Gives a workspace back to this thread, unless its buffers grew too large to keep.</summary>
    public static void Return(RougeWorkspace workspace)
    {
        if (workspace._chars.Length <= MaxRetainedLength
            && workspace._slots.Length <= MaxRetainedLength
            && workspace._gramSlots.Length <= MaxRetainedLength
            && workspace._rowsOrMarks.Length <= MaxRetainedLength
            && !workspace.Reference.IsOversized(MaxRetainedLength)
            && !workspace.Prediction.IsOversized(MaxRetainedLength))
        {
            _cached = workspace;
        }
    }

    /// <summary>Forgets every token and id.</summary>
    public void Reset()
    {
        // Clear only the slots in use, so that one large input does not make every later call clear a large table.
        int mask = _slots.Length - 1;
        for (int id = 0; id < VocabularySize; id++)
        {
            int slot = _entryHash[id] & mask;
            while (_slots[slot] != id + 1)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = 0;
        }

        _charCount = 0;
        VocabularySize = 0;
        Reference.Clear();
        Prediction.Clear();
    }

    /// <summary>Maps a character as rouge-score does after Python's <c>str.lower()</c>; <c>'\0'</c> = separator.</summary>
    /// <remarks>
    /// Python lowercases the text and replaces everything outside <c>[a-z0-9]</c> by a space. Among non-ASCII
    /// characters only U+212A KELVIN SIGN (→ <c>k</c>) and U+0130 (→ <c>i</c> + U+0307, which then separates) lowercase
    /// to something in <c>[a-z0-9]</c>; <see cref="Tokenize"/> ends a token after U+0130.
    /// </remarks>
    private static char Map(char c)
    {
        if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
        {
            return c;
        }

        if (c is >= 'A' and <= 'Z')
        {
            return (char)(c + ('a' - 'A'));
        }

        return c switch
        {
            '\u0130' => 'i',
            '\u212A' => 'k',
            _ => '\0',
        };
    }

    /// <summary>
    /// Tokenizes <paramref name="text"/> into <paramref name="target"/> as rouge-score 0.1.2's default tokenizer, and
    /// records where each <c>'\n'</c>-separated sentence starts (for ROUGE-Lsum).
    /// </summary>
    public void Tokenize(ReadOnlySpan<char> text, bool useStemmer, RougeTokenSequence target)
    {
        target.Clear();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                target.BeginSentence();
                i++;
                continue;
            }

            char mapped = Map(c);
            if (mapped == '\0')
            {
                i++;
                continue;
            }

            int start = _charCount;
            while (true)
            {
                if (_charCount == _chars.Length)
                {
                    Array.Resize(ref _chars, _chars.Length * 2);
                }

                _chars[_charCount++] = mapped;
                i++;

                // U+0130 lowercases to 'i' + U+0307, and U+0307 is a separator.
                if (c == '\u0130' || i == text.Length)
                {
                    break;
                }

                c = text[i];
                mapped = Map(c);
                if (mapped == '\0')
                {
                    break;
                }
            }

            int length = _charCount - start;
            if (useStemmer && length > 3)
            {
                length = PorterStemCache.Current.StemInPlace(_chars.AsSpan(start, length));
                _charCount = start + length;
            }

            if (length == 0)
            {
                continue;
            }

            target.Add(Intern(start, length));
        }
    }

    /// <summary>Returns unigram counts of <paramref name="sequence"/> in a reused buffer indexed by token id.</summary>
    /// <param name="sequence">The tokens to count.</param>
    /// <param name="second">Selects the second buffer, so that two count tables can be live at once.</param>
    public Span<int> CountTokens(RougeTokenSequence sequence, bool second)
    {
        Span<int> counts = CountBuffer(second, VocabularySize);
        foreach (int id in sequence.Ids)
        {
            counts[id]++;
        }

        return counts;
    }

    /// <summary>Returns a cleared buffer of at least <paramref name="length"/> ints for LCS rows or marks.</summary>
    public Span<int> RowsOrMarks(int length)
    {
        if (_rowsOrMarks.Length < length)
        {
            _rowsOrMarks = new int[Math.Max(length, _rowsOrMarks.Length * 2)];
        }

        Span<int> span = _rowsOrMarks.AsSpan(0, length);
        span.Clear();
        return span;
    }

    /// <summary>
    /// Counts the n-grams of order <paramref name="n"/> (n ≥ 2) of the reference and the prediction and returns the
    /// clipped overlap <c>Σ min(countRef, countPred)</c>, as rouge-score's <c>_score_ngrams</c>.
    /// </summary>
    public int NgramOverlap(int n)
    {
        ReadOnlySpan<int> reference = Reference.Ids;
        ReadOnlySpan<int> prediction = Prediction.Ids;
        int referenceGrams = Math.Max(reference.Length - n + 1, 0);
        int predictionGrams = Math.Max(prediction.Length - n + 1, 0);
        int maxGrams = referenceGrams + predictionGrams;
        if (referenceGrams == 0 || predictionGrams == 0)
        {
            return 0;
        }

        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, maxGrams * 2));
        if (_gramSlots.Length < capacity)
        {
            _gramSlots = new int[capacity];
        }

        Span<int> slots = _gramSlots.AsSpan(0, capacity);
        slots.Clear();
        if (_gramFirst.Length < maxGrams)
        {
            _gramFirst = new int[Math.Max(maxGrams, _gramFirst.Length * 2)];
            _gramHash = new int[_gramFirst.Length];
        }

        Span<int> referenceCounts = CountBuffer(second: false, maxGrams);
        Span<int> predictionCounts = CountBuffer(second: true, maxGrams);
        int gramCount = 0;

        // Positions 0..referenceGrams-1 index the reference; the prediction's are stored as ~position.
        for (int p = 0; p < referenceGrams; p++)
        {
            referenceCounts[InternGram(reference, prediction, p, n, slots, ref gramCount)]++;
        }

        for (int p = 0; p < predictionGrams; p++)
        {
            predictionCounts[InternGram(reference, prediction, ~p, n, slots, ref gramCount)]++;
        }

        int overlap = 0;
        for (int g = 0; g < gramCount; g++)
        {
            overlap += Math.Min(referenceCounts[g], predictionCounts[g]);
        }

        return overlap;
    }

    private static int HashGram(ReadOnlySpan<int> gram)
    {
        uint hash = 2166136261;
        foreach (int id in gram)
        {
            hash = (hash ^ (uint)id) * 16777619;
            hash = BitOperations.RotateLeft(hash, 13);
        }

        return (int)(hash ^ (hash >> 15));
    }

    private static ReadOnlySpan<int> GramAt(ReadOnlySpan<int> reference, ReadOnlySpan<int> prediction, int position, int n) =>
        position >= 0 ? reference.Slice(position, n) : prediction.Slice(~position, n);

    private int InternGram(
        ReadOnlySpan<int> reference, ReadOnlySpan<int> prediction, int position, int n, Span<int> slots, ref int gramCount)
    {
        ReadOnlySpan<int> gram = GramAt(reference, prediction, position, n);
        int hash = HashGram(gram);
        int mask = slots.Length - 1;
        int slot = hash & mask;
        while (true)
        {
            int entry = slots[slot] - 1;
            if (entry < 0)
            {
                _gramFirst[gramCount] = position;
                _gramHash[gramCount] = hash;
                slots[slot] = gramCount + 1;
                return gramCount++;
            }

            if (_gramHash[entry] == hash && GramAt(reference, prediction, _gramFirst[entry], n).SequenceEqual(gram))
            {
                return entry;
            }

            slot = (slot + 1) & mask;
        }
    }

    private Span<int> CountBuffer(bool second, int length)
    {
        ref int[] buffer = ref second ? ref _countsB : ref _countsA;
        if (buffer.Length < length)
        {
            buffer = new int[Math.Max(length, buffer.Length * 2)];
        }

        Span<int> span = buffer.AsSpan(0, length);
        span.Clear();
        return span;
    }

    private int Intern(int start, int length)
    {
        ReadOnlySpan<char> token = _chars.AsSpan(start, length);
        int hash = string.GetHashCode(token);
        int mask = _slots.Length - 1;
        int slot = hash & mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
            {
                break;
            }

            if (_entryHash[entry] == hash
                && _entryLength[entry] == length
                && _chars.AsSpan(_entryStart[entry], length).SequenceEqual(token))
            {
                _charCount = start; // Known token: its characters are already stored.
                return entry;
            }

            slot = (slot + 1) & mask;
        }

        int id = VocabularySize++;
        if (id == _entryStart.Length)
        {
            Array.Resize(ref _entryStart, id * 2);
            Array.Resize(ref _entryLength, id * 2);
            Array.Resize(ref _entryHash, id * 2);
        }

        _entryStart[id] = start;
        _entryLength[id] = length;
        _entryHash[id] = hash;
        _slots[slot] = id + 1;
        if (VocabularySize * 2 > _slots.Length)
        {
            GrowSlots();
        }

        return id;
    }

    private void GrowSlots()
    {
        _slots = new int[_slots.Length * 2];
        int mask = _slots.Length - 1;
        for (int id = 0; id < VocabularySize; id++)
        {
            int slot = _entryHash[id] & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = id + 1;
        }
    }
}
