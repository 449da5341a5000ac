using System.Runtime.CompilerServices;

namespace PromptKit;

/// <summary>
/// Reusable output of a sacrebleu tokenizer: the tokenized text in a pooled character buffer and the
/// (start, length) range of each token in it. Tokens are never materialised as strings.
/// </summary>
/// <remarks>Not thread-safe: each thread uses its own instance (metrics keep one per thread).</remarks>
internal sealed class TokenBuffer
{
    private char[] _first = new char[256];
    private char[] _second = new char[256];
    private char[] _text = [];
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];

    /// <summary>Gets the number of tokens.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the token at <paramref name="index"/>.</summary>
    public ReadOnlySpan<char> this[int index] => _text.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Returns the tokens joined by single spaces, as sacrebleu's tokenizer returns them (allocates; for tests and diagnostics).</summary>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        for (int i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(this[i]);
        }

        return builder.ToString();
    }

    /// <summary>Gets the first scratch buffer with at least <paramref name="length"/> characters.</summary>
    internal char[] First(int length)
    {
        PythonText.Grow(ref _first, length);
        return _first;
    }

    /// <summary>Gets the second scratch buffer with at least <paramref name="length"/> characters.</summary>
    internal char[] Second(int length)
    {
        PythonText.Grow(ref _second, length);
        return _second;
    }

    /// <summary>
    /// Clears the tokens and makes <paramref name="text"/> (one of this buffer's scratch arrays) the text that
    /// <see cref="Add"/> ranges refer to.
    /// </summary>
    internal void Reset(char[] text)
    {
        _text = text;
        Count = 0;
    }

    /// <summary>Records the token <paramref name="length"/> characters long at <paramref name="start"/> of the current text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(int start, int length)
    {
        int count = Count;
        if ((uint)count >= (uint)_starts.Length || (uint)count >= (uint)_lengths.Length)
        {
            GrowTokens();
        }

        _starts[count] = start;
        _lengths[count] = length;
        Count = count + 1;
    }

    /// <summary>
    /// Splits <paramref name="text"/>[0..<paramref name="length"/>] on Python whitespace (<c>str.split()</c>) and
    /// records the tokens. <paramref name="text"/> must be one of this buffer's scratch arrays, which it then owns
    /// until the next tokenization.
    /// </summary>
    internal void SetText(char[] text, int length)
    {
        _text = text;
        Count = 0;
        int i = 0;
        while (i < length)
        {
            while (i < length && PythonText.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == length)
            {
                break;
            }

            int start = i;
            while (i < length && !PythonText.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (Count == _starts.Length)
            {
                Array.Resize(ref _starts, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
            }

            _starts[Count] = start;
            _lengths[Count] = i - start;
            Count++;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowTokens()
    {
        Array.Resize(ref _starts, Count * 2);
        Array.Resize(ref _lengths, Count * 2);
    }
}
