using System.Numerics;
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
    private ulong[] _hashes = new ulong[128];
    private int[] _slots = new int[256];          // id + 1; 0 = empty
    private int[] _slotGenerations = new int[256];
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
            Array.Clear(_slotGenerations);
            _generation = 1;
        }
    }

    /// <summary>Returns the id of <paramref name="token"/>, adding it when new.</summary>
    public int Intern(ReadOnlySpan<char> token)
    {
        ulong hash = Hash(token);
        int mask = _slots.Length - 1;
        int slot = (int)hash & mask;
        while (_slotGenerations[slot] == _generation)
        {
            int id = _slots[slot] - 1;
            if (_hashes[id] == hash && token.SequenceEqual(_chars.AsSpan(_starts[id], _lengths[id])))
            {
                return id;
            }

            slot = (slot + 1) & mask;
        }

        int newId = Count;
        if (newId == _starts.Length)
        {
            Array.Resize(ref _starts, newId * 2);
            Array.Resize(ref _lengths, newId * 2);
            Array.Resize(ref _hashes, newId * 2);
        }

        PythonText.Grow(ref _chars, checked(_charCount + token.Length));
        token.CopyTo(_chars.AsSpan(_charCount));
        _starts[newId] = _charCount;
        _lengths[newId] = token.Length;
        _hashes[newId] = hash;
        _charCount += token.Length;
        Count = newId + 1;
        _slots[slot] = newId + 1;
        _slotGenerations[slot] = _generation;
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }

        return newId;
    }

    /// <summary>64-bit hash of a character span (four characters per step, murmur3 finaliser).</summary>
    internal static ulong Hash(ReadOnlySpan<char> text)
    {
        ulong hash = 0x9E3779B97F4A7C15UL ^ (ulong)text.Length;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(text);
        foreach (ulong word in words)
        {
            hash = BitOperations.RotateLeft((hash ^ word) * 0xFF51AFD7ED558CCDUL, 29);
        }

        for (int i = words.Length * 4; i < text.Length; i++)
        {
            hash = BitOperations.RotateLeft((hash ^ text[i]) * 0xC4CEB9FE1A85EC53UL, 29);
        }

        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return hash;
    }

    private void Rehash()
    {
        int capacity = _slots.Length * 2;
        _slots = new int[capacity];
        _slotGenerations = new int[capacity];
        _generation = 1;
        int mask = capacity - 1;
        for (int id = 0; id < Count; id++)
        {
            int slot = (int)_hashes[id] & mask;
            while (_slotGenerations[slot] == _generation)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = id + 1;
            _slotGenerations[slot] = _generation;
        }
    }
}
