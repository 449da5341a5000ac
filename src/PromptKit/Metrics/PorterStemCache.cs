namespace PromptKit;

/// <summary>
/// A per-thread memo of <see cref="PorterStemmer"/> results for lowercase ASCII tokens, so that a word seen before is
/// stemmed by one hash lookup and a copy instead of the Porter steps. Stemming is a pure function of the word, so the
/// results are the stemmer's exactly.
/// </summary>
/// <remarks>
/// Bounded: when it holds <see cref="MaxEntries"/> words or <see cref="MaxChars"/> characters it starts over empty.
/// Not thread-safe: <see cref="Current"/> gives each thread its own instance.
/// </remarks>
internal sealed class PorterStemCache
{
    /// <summary>The most words kept before the memo starts over.</summary>
    public const int MaxEntries = 1 << 15;

    /// <summary>The most characters (words and stems) kept before the memo starts over.</summary>
    public const int MaxChars = 1 << 20;

    [ThreadStatic]
    private static PorterStemCache? _current;

    // Word characters followed by stem characters, for every entry.
    private char[] _chars = new char[1024];
    private int _charCount;

    // Open addressing over entries; a slot holds entry index + 1 (0 = empty). Kept at most half full.
    private int[] _slots = new int[1024];
    private int[] _start = new int[256];
    private int[] _wordLength = new int[256];
    private int[] _stemLength = new int[256];
    private int[] _hash = new int[256];
    private int _count;

    /// <summary>Gets this thread's memo.</summary>
    public static PorterStemCache Current => _current ??= new PorterStemCache();

    /// <summary>
    /// Stems the lowercase word in place, as <see cref="PorterStemmer.StemLowercaseInPlace(Span{char})"/> does, and
    /// returns the stem's length.
    /// </summary>
    public int StemInPlace(Span<char> word)
    {
        int hash = string.GetHashCode(word);
        int mask = _slots.Length - 1;
        int slot = hash & mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
            {
                break;
            }

            if (_hash[entry] == hash
                && _wordLength[entry] == word.Length
                && _chars.AsSpan(_start[entry], word.Length).SequenceEqual(word))
            {
                int stemLength = _stemLength[entry];
                _chars.AsSpan(_start[entry] + word.Length, stemLength).CopyTo(word);
                return stemLength;
            }

            slot = (slot + 1) & mask;
        }

        // A stem is never longer than its word.
        if (_count == MaxEntries || _charCount + (2 * word.Length) > MaxChars)
        {
            Clear();
            slot = hash & mask;
        }

        int start = _charCount;
        EnsureChars(start + (2 * word.Length));
        word.CopyTo(_chars.AsSpan(start));
        int length = PorterStemmer.StemLowercaseInPlace(word);
        word[..length].CopyTo(_chars.AsSpan(start + word.Length));
        _charCount = start + word.Length + length;
        Add(slot, start, word.Length, length, hash);
        return length;
    }

    private void Add(int slot, int start, int wordLength, int stemLength, int hash)
    {
        int id = _count++;
        if (id == _start.Length)
        {
            Array.Resize(ref _start, id * 2);
            Array.Resize(ref _wordLength, id * 2);
            Array.Resize(ref _stemLength, id * 2);
            Array.Resize(ref _hash, id * 2);
        }

        _start[id] = start;
        _wordLength[id] = wordLength;
        _stemLength[id] = stemLength;
        _hash[id] = hash;
        _slots[slot] = id + 1;
        if (_count * 2 > _slots.Length)
        {
            _slots = new int[_slots.Length * 2];
            int mask = _slots.Length - 1;
            for (int entry = 0; entry < _count; entry++)
            {
                int s = _hash[entry] & mask;
                while (_slots[s] != 0)
                {
                    s = (s + 1) & mask;
                }

                _slots[s] = entry + 1;
            }
        }
    }

    private void EnsureChars(int length)
    {
        if (length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(length, _chars.Length * 2));
        }
    }

    private void Clear()
    {
        Array.Clear(_slots);
        _count = 0;
        _charCount = 0;
    }
}
