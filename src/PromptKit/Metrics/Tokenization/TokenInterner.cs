using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PromptKit;

/// <summary>
/// Maps token character spans to dense integer ids (0, 1, 2, ...) for one scoring call, so that n-grams become
/// integer sequences. Open addressing over 64-bit hashes; equal hashes are confirmed by comparing characters,
/// so distinct tokens never share an id.
/// </summary>
/// <remarks>Not thread-safe: each thread uses its own instance. <see cref="Reset"/> forgets every id in O(1).</remarks>
internal sealed class TokenInterner
{
    private char[] _chars = new char[1024];
    private int _charCount;
    private int[] _starts = new int[128];
    private int[] _lengths = new int[128];
    private Slot[] _slots = new Slot[256];   // a slot is empty unless its generation is the current one
    private int _generation = 1;

    /// <summary>Gets the number of distinct tokens seen since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets all tokens.</summary>
    public void Reset()
    {
        Count = 0;
        _charCount = 0;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_slots);
            _generation = 1;
        }
    }

    /// <summary>Returns the id of <paramref name="token"/>, adding it when new.</summary>
    public int Intern(ReadOnlySpan<char> token)
    {
        ulong hash = Hash(token);
        Slot[] slots = _slots;
        int mask = slots.Length - 1;
        int index = (int)hash & mask;
        while (true)
        {
            ref Slot slot = ref slots[index];
            if (slot.Generation != _generation)
            {
                break;
            }

            if (slot.Hash == hash)
            {
                int id = slot.Id;
                if (token.SequenceEqual(_chars.AsSpan(_starts[id], _lengths[id])))
                {
                    return id;
                }
            }

            index = (index + 1) & mask;
        }

        return Add(token, hash, index);
    }

    /// <summary>64-bit hash of a character span (four characters per step, the remainder in one more step, murmur3 finaliser).</summary>
    internal static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong hash = 0x9E3779B97F4A7C15UL ^ (ulong)text.Length;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(text);
        foreach (ulong word in words)
        {
            hash = BitOperations.RotateLeft((hash ^ word) * 0xFF51AFD7ED558CCDUL, 29);
        }

        if ((text.Length & 3) != 0)
        {
            // The last 1 to 3 characters in one step: the last four characters (overlapping the previous step) when
            // there are at least four, else the characters packed into one word. The length is in the seed.
            ulong tail = text.Length >= 4
                ? MemoryMarshal.Read<ulong>(MemoryMarshal.AsBytes(text[^4..]))
                : text[0] | (text.Length > 1 ? (ulong)text[1] << 16 : 0UL) | (text.Length > 2 ? (ulong)text[2] << 32 : 0UL);
            hash = BitOperations.RotateLeft((hash ^ tail) * 0xC4CEB9FE1A85EC53UL, 29);
        }

        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return hash;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Add(ReadOnlySpan<char> token, ulong hash, int index)
    {
        int newId = Count;
        if (newId == _starts.Length)
        {
            Array.Resize(ref _starts, newId * 2);
            Array.Resize(ref _lengths, newId * 2);
        }

        PythonText.Grow(ref _chars, checked(_charCount + token.Length));
        token.CopyTo(_chars.AsSpan(_charCount));
        _starts[newId] = _charCount;
        _lengths[newId] = token.Length;
        _charCount += token.Length;
        Count = newId + 1;
        _slots[index] = new Slot { Hash = hash, Generation = _generation, Id = newId };
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }

        return newId;
    }

    private void Rehash()
    {
        Slot[] old = _slots;
        int oldGeneration = _generation;
        _slots = new Slot[old.Length * 2];
        _generation = 1;
        int mask = _slots.Length - 1;
        foreach (ref readonly Slot entry in old.AsSpan())
        {
            if (entry.Generation != oldGeneration)
            {
                continue;
            }

            int index = (int)entry.Hash & mask;
            while (_slots[index].Generation == _generation)
            {
                index = (index + 1) & mask;
            }

            _slots[index] = entry with { Generation = _generation };
        }
    }

    /// <summary>One hash-table slot: a token's hash and id, valid in one generation.</summary>
    [StructLayout(LayoutKind.Auto)]
    private struct Slot
    {
        public ulong Hash;
        public int Generation;
        public int Id;
    }
}
