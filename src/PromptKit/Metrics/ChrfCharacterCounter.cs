using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PromptKit;

/// <summary>
/// Counts chrF character n-grams of one segment with packed keys: each distinct hypothesis code point gets a small
/// id (1, 2, ...), and an n-gram of orders 2 and up is the exact concatenation of its ids' bits in one 64-bit key,
/// so the keys of one position do not depend on each other (no prefix chain) and need no verification. Unigrams
/// are counted in arrays indexed by id.
/// </summary>
/// <remarks>
/// Only hypothesis code points get ids: a reference code point the hypothesis lacks matches nothing, and neither
/// does any n-gram containing it, so such n-grams are skipped. When the distinct hypothesis code points do not fit
/// the id width (<c>64 / order</c> bits, at most 20) <see cref="TryCountHypothesis"/> returns <see langword="false"/>
/// and the caller counts with <see cref="NGramTable"/> instead. Not thread-safe: each thread uses its own instance.
/// </remarks>
internal sealed class ChrfCharacterCounter
{
    private const int MaxBits = 20;
    private const int MaxOrder = 16;         // at least 4 bits per id
    private const int MaxLength = 1 << 24;   // keeps the n-gram count bound in an int
    private const int SparseEntries = 4096;  // up to this many n-grams the table is at most 1/8 full, then at most 1/2
    private const long SparseFactor = 8;

    private readonly IdSlot[] _latin = new IdSlot[256];
    private readonly ulong[] _masks = new ulong[MaxOrder + 1];
    private IdSlot[] _others = new IdSlot[64];
    private int _otherCount;
    private int _stamp;
    private int _idCount;
    private int _maxId;
    private int _bits;
    private int _order;
    private int[] _ids = new int[256];
    private int[] _hypothesisUnigrams = new int[64];
    private int[] _referenceUnigrams = new int[64];
    private Entry[] _entries = new Entry[1024];
    private int _generation;
    private int _mask;
    private int _shift;

    /// <summary>
    /// Assigns ids to the hypothesis code points and counts its n-grams of orders 1 to <paramref name="order"/>;
    /// returns <see langword="false"/> (counting nothing) when they do not fit packed keys.
    /// </summary>
    public bool TryCountHypothesis(ReadOnlySpan<int> codePoints, int order)
    {
        if (order is < 1 or > MaxOrder || codePoints.Length > MaxLength)
        {
            return false;
        }

        _order = order;
        _bits = Math.Min(MaxBits, 64 / order);
        _maxId = (1 << _bits) - 1;
        for (int n = 1; n <= order; n++)
        {
            _masks[n] = n * _bits == 64 ? ulong.MaxValue : (1UL << (n * _bits)) - 1;
        }

        NextStamp();
        PythonText.Grow(ref _ids, codePoints.Length);
        int[] ids = _ids;
        for (int i = 0; i < codePoints.Length; i++)
        {
            int id = Intern(codePoints[i]);
            if (id == 0)
            {
                return false;
            }

            ids[i] = id;
        }

        PythonText.Grow(ref _hypothesisUnigrams, _idCount + 1);
        PythonText.Grow(ref _referenceUnigrams, _idCount + 1);
        int[] unigrams = _hypothesisUnigrams;
        Array.Clear(unigrams, 0, _idCount + 1);

        long bound = 0;
        for (int n = 2; n <= order && n <= codePoints.Length; n++)
        {
            bound += codePoints.Length - n + 1;
        }

        Reset((int)bound);
        int bits = _bits;
        ulong[] masks = _masks;
        ulong window = 0;
        for (int p = 0; p < codePoints.Length; p++)
        {
            int id = ids[p];
            unigrams[id]++;
            window = (window << bits) | (uint)id;
            int limit = Math.Min(order, p + 1);
            for (int n = 2; n <= limit; n++)
            {
                FindOrAdd(window & masks[n]).Hypothesis++;
            }
        }

        return true;
    }

    /// <summary>
    /// Adds the character matches of one reference (clipped by the hypothesis counts) to
    /// <paramref name="matches"/>[0..order); <paramref name="reference"/> is its 1-based index in the segment.
    /// </summary>
    public void CountReference(int reference, ReadOnlySpan<int> codePoints, long[] matches)
    {
        int[] unigrams = _referenceUnigrams;
        Array.Clear(unigrams, 0, _idCount + 1);
        int order = _order;
        int bits = _bits;
        ulong[] masks = _masks;
        ulong window = 0;
        int run = 0;   // consecutive code points (ending here) that the hypothesis has
        for (int p = 0; p < codePoints.Length; p++)
        {
            int id = Lookup(codePoints[p]);
            unigrams[id]++;   // id 0 (not in the hypothesis) is never read back
            if (id == 0)
            {
                run = 0;
                continue;
            }

            run++;
            window = (window << bits) | (uint)id;
            int limit = Math.Min(order, run);
            for (int n = 2; n <= limit; n++)
            {
                ref Entry entry = ref Find(window & masks[n]);
                if (Unsafe.IsNullRef(ref entry))
                {
                    break;   // not a hypothesis n-gram: neither is any longer n-gram ending here
                }

                if (entry.Stamp != reference)
                {
                    entry.Stamp = reference;
                    entry.Current = 0;
                }

                if (++entry.Current <= entry.Hypothesis)
                {
                    matches[n - 1]++;
                }
            }
        }

        int[] hypothesis = _hypothesisUnigrams;
        long unigramMatches = 0;
        for (int id = 1; id <= _idCount; id++)
        {
            unigramMatches += Math.Min(hypothesis[id], unigrams[id]);
        }

        matches[0] += unigramMatches;
    }

    private void NextStamp()
    {
        _idCount = 0;
        _otherCount = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_latin);
            Array.Clear(_others);
            _stamp = 1;
        }
    }

    /// <summary>Returns the id of <paramref name="codePoint"/>, adding it when new; 0 when the ids are exhausted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Intern(int codePoint)
    {
        if ((uint)codePoint < 256u)
        {
            ref IdSlot slot = ref _latin[codePoint];
            if (slot.Stamp == _stamp)
            {
                return slot.Id;
            }

            if (_idCount == _maxId)
            {
                return 0;
            }

            slot.Stamp = _stamp;
            slot.Id = ++_idCount;
            return slot.Id;
        }

        return InternOther(codePoint);
    }

    private int InternOther(int codePoint)
    {
        IdSlot[] others = _others;
        int mask = others.Length - 1;
        int index = OtherSlot(codePoint, mask);
        while (true)
        {
            ref IdSlot slot = ref others[index];
            if (slot.Stamp != _stamp)
            {
                if (_idCount == _maxId)
                {
                    return 0;
                }

                slot = new IdSlot { Stamp = _stamp, CodePoint = codePoint, Id = ++_idCount };
                if (++_otherCount * 2 > others.Length)
                {
                    GrowOthers();
                }

                return _idCount;
            }

            if (slot.CodePoint == codePoint)
            {
                return slot.Id;
            }

            index = (index + 1) & mask;
        }
    }

    /// <summary>Returns the id of <paramref name="codePoint"/>, or 0 when the hypothesis does not have it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Lookup(int codePoint)
    {
        if ((uint)codePoint < 256u)
        {
            ref IdSlot slot = ref _latin[codePoint];
            return slot.Stamp == _stamp ? slot.Id : 0;
        }

        return LookupOther(codePoint);
    }

    private int LookupOther(int codePoint)
    {
        IdSlot[] others = _others;
        int mask = others.Length - 1;
        int index = OtherSlot(codePoint, mask);
        while (true)
        {
            ref IdSlot slot = ref others[index];
            if (slot.Stamp != _stamp)
            {
                return 0;
            }

            if (slot.CodePoint == codePoint)
            {
                return slot.Id;
            }

            index = (index + 1) & mask;
        }
    }

    private static int OtherSlot(int codePoint, int mask) => (int)(((uint)codePoint * 0x9E3779B1u) >> 7) & mask;

    private void GrowOthers()
    {
        IdSlot[] old = _others;
        var others = new IdSlot[old.Length * 2];
        int mask = others.Length - 1;
        foreach (ref readonly IdSlot entry in old.AsSpan())
        {
            if (entry.Stamp != _stamp)
            {
                continue;
            }

            int index = OtherSlot(entry.CodePoint, mask);
            while (others[index].Stamp == _stamp)
            {
                index = (index + 1) & mask;
            }

            others[index] = entry;
        }

        _others = others;
    }

    /// <summary>
    /// Forgets all n-grams and sizes the table for at most <paramref name="expectedEntries"/>, so that it never grows
    /// while counting. A sparse table keeps probe sequences short (fewer mispredicted branches), which matters more
    /// than its size while it stays in the caches.
    /// </summary>
    private void Reset(int expectedEntries)
    {
        long slots = expectedEntries <= SparseEntries ? expectedEntries * SparseFactor : expectedEntries * 2L;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(slots, 16, 1 << 30));
        _mask = capacity - 1;
        _shift = 64 - BitOperations.Log2((uint)capacity);
        if (_entries.Length < capacity)
        {
            _entries = new Entry[capacity];
            _generation = 1;
        }
        else if (++_generation == int.MaxValue)
        {
            Array.Clear(_entries);
            _generation = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry FindOrAdd(ulong key)
    {
        Entry[] entries = _entries;
        int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Generation != _generation)
            {
                entry = new Entry { Key = key, Generation = _generation };
                return ref entry;
            }

            if (entry.Key == key)
            {
                return ref entry;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry Find(ulong key)
    {
        Entry[] entries = _entries;
        int generation = _generation;
        int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Generation != generation)
            {
                return ref Unsafe.NullRef<Entry>();
            }

            if (entry.Key == key)
            {
                return ref entry;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The id of one code point, valid in one stamp.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct IdSlot
    {
        public int Stamp;
        public int CodePoint;
        public int Id;
    }

    /// <summary>One character n-gram (orders 2 and up) and its counters.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Entry
    {
        public ulong Key;
        public int Generation;
        public int Hypothesis;
        public int Stamp;
        public int Current;
    }
}
