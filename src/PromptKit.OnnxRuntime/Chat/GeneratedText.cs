using Microsoft.ML.Tokenizers;

namespace PromptKit.OnnxRuntime;

/// <summary>The text of the generated tokens, cut at the first stop sequence, and the part of it that is safe to stream.</summary>
/// <remarks>
/// After each token the whole generated id list is decoded again, so characters that span several tokens (a UTF-8
/// character split by a byte-level BPE, a SentencePiece word) come out right. A streamed delta holds back trailing
/// replacement characters (U+FFFD, an incomplete UTF-8 sequence), a trailing high surrogate, and any suffix that could
/// be the start of a stop sequence; <see cref="TakeDelta"/> with <c>final</c> flushes the rest. Not thread-safe.
/// </remarks>
internal sealed class GeneratedText
{
    private readonly Tokenizer _tokenizer;
    private readonly string[] _stopSequences;
    private readonly List<int> _ids = [];
    private string _emitted = string.Empty;
    private bool _diverged;

    public GeneratedText(Tokenizer tokenizer, string[] stopSequences)
    {
        _tokenizer = tokenizer;
        _stopSequences = stopSequences;
    }

    /// <summary>Gets the decoded text, cut before the first stop sequence once one appeared.</summary>
    public string Text { get; private set; } = string.Empty;

    /// <summary>Gets a value indicating whether a stop sequence appeared.</summary>
    public bool StopSequenceFound { get; private set; }

    /// <summary>Adds a generated token, decodes and looks for stop sequences.</summary>
    public void Add(int tokenId)
    {
        _ids.Add(tokenId);
        string text = _tokenizer.Decode(_ids) ?? string.Empty;
        int cut = -1;
        foreach (string stop in _stopSequences)
        {
            int index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (cut < 0 || index < cut))
            {
                cut = index;
            }
        }

        if (cut >= 0)
        {
            text = text[..cut];
            StopSequenceFound = true;
        }

        Text = text;
    }

    /// <summary>Returns the text not yet returned that is safe to show, or <see langword="null"/> when there is none.</summary>
    /// <param name="final"><see langword="true"/> when generation has ended: everything left is returned.</param>
    public string? TakeDelta(bool final)
    {
        string text = Text;
        if (_diverged)
        {
            return null;
        }

        if (!text.StartsWith(_emitted, StringComparison.Ordinal))
        {
            // The tokenizer rewrote text it had already produced; nothing more can be streamed consistently.
            _diverged = true;
            return null;
        }

        int end = text.Length;
        if (!final)
        {
            while (end > _emitted.Length && text[end - 1] == '\uFFFD')
            {
                end--;
            }

            if (end > _emitted.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end--;
            }

            end -= LongestStopPrefixAtEnd(text.AsSpan(0, end));
        }

        if (end <= _emitted.Length)
        {
            return null;
        }

        string delta = text[_emitted.Length..end];
        _emitted = text[..end];
        return delta;
    }

    private int LongestStopPrefixAtEnd(ReadOnlySpan<char> text)
    {
        int longest = 0;
        foreach (string stop in _stopSequences)
        {
            for (int length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.EndsWith(stop.AsSpan(0, length), StringComparison.Ordinal))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
