using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PromptKit;

/// <summary>
/// Hash-consed n-gram trie for one scoring call: an n-gram is identified by the id of its (n-1)-gram prefix (its
/// <em>parent</em>, or a negative root for unigrams) and its last element (a token id or a code point). Each distinct
/// n-gram gets a dense id and carries the counters the BLEU and chrF statistics need.
/// </summary>
/// <remarks>
/// Keys are compared exactly (parent id and element), so distinct n-grams are never merged, whatever their hashes;
/// n-grams of different lengths or roots can never share a key. Open addressing with linear probing over a
/// Fibonacci hash of the 64-bit key; <see cref="Reset"/> forgets all entries in O(1) with a generation stamp.
/// Not thread-safe: each thread uses its own instance.
/// </remarks>
internal sealed class NGramTable
{
    private Entry[] _entries = new Entry[1024];
    private int _generation = 1;
    private int _count;
    private int _firstId;
    private int _mask = 1023;
    private int _shift = 54;

    /// <summary>Gets the number of distinct n-grams since the last <see cref="Reset"/>.</summary>
    public int Count => _count;

    /// <summary>Returns the parent to use for the unigrams of <paramref name="kind"/> (0 for BLEU words and chrF characters, 1 for chrF++ words).</summary>
    public static int Root(int kind) => -1 - kind;

    /// <summary>Forgets all entries.</summary>
    /// <param name="expectedEntries">An upper bound (or estimate) of the number of distinct n-grams.</param>
    /// <param name="firstId">
    /// The id of the first n-gram added (ids are <paramref name="firstId"/>, <paramref name="firstId"/> + 1, ...), so
    /// that ids below it can stand for n-grams kept outside the table (BLEU keeps unigrams by token id).
    /// </param>
    public void Reset(int expectedEntries, int firstId = 0)
    {
        _count = 0;
        _firstId = firstId;

        // Only the first `capacity` slots are used, so a small call stays cache-friendly after a large one.
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(expectedEntries * 2L, 16, 1 << 30));
        SetCapacity(capacity);
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

    /// <summary>Returns the entry of the n-gram <paramref name="parent"/> + <paramref name="element"/>, adding a zeroed one when new.</summary>
    /// <param name="parent">The id of the n-gram without its last element, or <see cref="Root"/> for a unigram.</param>
    /// <param name="element">The last element.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry FindOrAdd(int parent, int element)
    {
        Entry[] entries = _entries;
        int mask = _mask;
        int slot = Slot(parent, element);
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Generation != _generation)
            {
                if ((_count + 1) * 4 > (mask + 1) * 3)
                {
                    return ref GrowAndAdd(parent, element);
                }

                entry = new Entry { Generation = _generation, Parent = parent, Element = element, Id = _firstId + _count };
                _count++;
                return ref entry;
            }

            if (entry.Parent == parent && entry.Element == element)
            {
                return ref entry;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Returns the entry of the n-gram <paramref name="parent"/> + <paramref name="element"/>, or a null reference
    /// (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>) when it was never added.
    /// </summary>
    /// <param name="parent">The id of the n-gram without its last element, or <see cref="Root"/> for a unigram.</param>
    /// <param name="element">The last element.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry Find(int parent, int element)
    {
        Entry[] entries = _entries;
        int mask = _mask;
        int generation = _generation;
        int slot = Slot(parent, element);
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Generation != generation)
            {
                return ref Unsafe.NullRef<Entry>();
            }

            if (entry.Parent == parent && entry.Element == element)
            {
                return ref entry;
            }

            slot = (slot + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(int parent, int element) =>
        (int)(((((ulong)(uint)parent << 32) | (uint)element) * 0x9E3779B97F4A7C15UL) >> _shift);

    private void SetCapacity(int capacity)
    {
        _mask = capacity - 1;
        _shift = 64 - BitOperations.Log2((uint)capacity);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref Entry GrowAndAdd(int parent, int element)
    {
        Entry[] old = _entries;
        int oldGeneration = _generation;
        int oldCapacity = _mask + 1;
        _entries = new Entry[oldCapacity * 2];
        _generation = 1;
        SetCapacity(oldCapacity * 2);
        foreach (ref readonly Entry entry in old.AsSpan(0, oldCapacity))
        {
            if (entry.Generation != oldGeneration)
            {
                continue;
            }

            int slot = Slot(entry.Parent, entry.Element);
            while (_entries[slot].Generation == _generation)
            {
                slot = (slot + 1) & _mask;
            }

            _entries[slot] = entry;
            _entries[slot].Generation = _generation;
        }

        return ref FindOrAdd(parent, element);
    }

    /// <summary>One n-gram and its counters.</summary>
    [StructLayout(LayoutKind.Auto)]
    internal struct Entry
    {
        /// <summary>The table generation the entry belongs to (stale entries are empty slots).</summary>
        public int Generation;

        /// <summary>The id of the prefix n-gram, or a negative root.</summary>
        public int Parent;

        /// <summary>The last element.</summary>
        public int Element;

        /// <summary>The dense id of this n-gram (the parent of its extensions).</summary>
        public int Id;

        /// <summary>Which reference last touched <see cref="Current"/> (reference index + 1).</summary>
        public int Stamp;

        /// <summary>Count in the reference identified by <see cref="Stamp"/>.</summary>
        public int Current;

        /// <summary>Maximum count over the references seen so far (BLEU clipping).</summary>
        public int Max;

        /// <summary>Count in the hypothesis.</summary>
        public int Hypothesis;
    }
}
