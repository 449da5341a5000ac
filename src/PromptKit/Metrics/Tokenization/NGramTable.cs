using System.Numerics;
using System.Runtime.InteropServices;

namespace PromptKit;

/// <summary>
/// Open-addressing hash table of n-grams for one scoring call. An n-gram is a run of integers (token ids or code
/// points) in a shared sequence buffer plus a <em>kind</em> (the n-gram order, or for chrF++ the order offset by the
/// character order for word n-grams). Each entry carries the counters the BLEU and chrF statistics need.
/// </summary>
/// <remarks>
/// Keys are compared exactly (kind, length and every element) after the 64-bit hashes agree, so collisions never
/// merge distinct n-grams. <see cref="Reset"/> forgets all entries in O(1) with a generation stamp. Not thread-safe.
/// </remarks>
internal sealed class NGramTable
{
    private Entry[] _entries = new Entry[1024];
    private int _generation = 1;
    private int _count;
    private int[] _sequence = [];

    /// <summary>Forgets all entries and sets the buffer the n-grams point into.</summary>
    /// <param name="sequence">The buffer holding every token-id or code-point sequence of the call.</param>
    /// <param name="expectedEntries">An upper bound (or estimate) of the number of distinct n-grams.</param>
    public void Reset(int[] sequence, int expectedEntries)
    {
        _sequence = sequence;
        _count = 0;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, expectedEntries * 2));
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

    /// <summary>Combines a running n-gram hash with the next element.</summary>
    public static ulong Combine(ulong hash, int element) =>
        BitOperations.RotateLeft((hash ^ (uint)element) * 0x9E3779B97F4A7C15UL, 27) + 0x52DCE729UL;

    /// <summary>The murmur3 64-bit finaliser.</summary>
    public static ulong Mix(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>
    /// Returns the entry for the n-gram <c>sequence[offset..offset+length]</c> of <paramref name="kind"/>, adding a
    /// zeroed entry when new.
    /// </summary>
    /// <param name="kind">The n-gram kind (order index).</param>
    /// <param name="offset">Start of the n-gram in the sequence buffer.</param>
    /// <param name="length">The n-gram length.</param>
    /// <param name="runningHash">The <see cref="Combine"/> chain over the n-gram's elements.</param>
    public ref Entry FindOrAdd(int kind, int offset, int length, ulong runningHash)
    {
        ulong hash = Mix(runningHash ^ ((ulong)(uint)kind << 40));
        Entry[] entries = _entries;
        int mask = entries.Length - 1;
        int slot = (int)hash & mask;
        while (true)
        {
            ref Entry entry = ref entries[slot];
            if (entry.Generation != _generation)
            {
                if ((_count + 1) * 4 > entries.Length * 3)
                {
                    Grow();
                    return ref FindOrAdd(kind, offset, length, runningHash);
                }

                entry = new Entry { Hash = hash, Generation = _generation, Kind = kind, Offset = offset, Length = length };
                _count++;
                return ref entry;
            }

            if (entry.Hash == hash && entry.Kind == kind && entry.Length == length
                && _sequence.AsSpan(entry.Offset, length).SequenceEqual(_sequence.AsSpan(offset, length)))
            {
                return ref entry;
            }

            slot = (slot + 1) & mask;
        }
    }

    private void Grow()
    {
        Entry[] old = _entries;
        int oldGeneration = _generation;
        _entries = new Entry[old.Length * 2];
        _generation = 1;
        int mask = _entries.Length - 1;
        foreach (ref readonly Entry entry in old.AsSpan())
        {
            if (entry.Generation != oldGeneration)
            {
                continue;
            }

            int slot = (int)entry.Hash & mask;
            while (_entries[slot].Generation == _generation)
            {
                slot = (slot + 1) & mask;
            }

            _entries[slot] = entry;
            _entries[slot].Generation = _generation;
        }
    }

    /// <summary>One n-gram and its counters.</summary>
    [StructLayout(LayoutKind.Auto)]
    internal struct Entry
    {
        /// <summary>The finalised hash.</summary>
        public ulong Hash;

        /// <summary>The table generation the entry belongs to (stale entries are empty slots).</summary>
        public int Generation;

        /// <summary>The n-gram kind.</summary>
        public int Kind;

        /// <summary>Start of the representative occurrence in the sequence buffer.</summary>
        public int Offset;

        /// <summary>Number of elements.</summary>
        public int Length;

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
