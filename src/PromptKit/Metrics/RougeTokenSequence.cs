namespace PromptKit;

/// <summary>The token ids of one tokenized text and where its <c>'\n'</c>-separated sentences start.</summary>
/// <remarks>Owned by one <see cref="RougeWorkspace"/>; not thread-safe.</remarks>
internal sealed class RougeTokenSequence
{
    private int[] _ids = new int[64];
    private int[] _sentenceStarts = new int[8];

    /// <summary>Gets the number of tokens.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of sentences (lines), empty ones included; at least 1 after <see cref="Clear"/>.</summary>
    public int SentenceCount { get; private set; }

    /// <summary>Gets the token ids.</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Count);

    /// <summary>Gets a value indicating whether the buffers grew past the size a thread should keep.</summary>
    public bool IsOversized(int maxRetained) => _ids.Length > maxRetained || _sentenceStarts.Length > maxRetained;

    /// <summary>Gets the token ids of sentence <paramref name="sentence"/>.</summary>
    public ReadOnlySpan<int> Sentence(int sentence)
    {
        int start = _sentenceStarts[sentence];
        int end = sentence + 1 < SentenceCount ? _sentenceStarts[sentence + 1] : Count;
        return _ids.AsSpan(start, end - start);
    }

    /// <summary>Empties the sequence and opens its first sentence.</summary>
    public void Clear()
    {
        Count = 0;
        SentenceCount = 0;
        BeginSentence();
    }

    /// <summary>Starts a new sentence at the current token position.</summary>
    public void BeginSentence()
    {
        if (SentenceCount == _sentenceStarts.Length)
        {
            Array.Resize(ref _sentenceStarts, _sentenceStarts.Length * 2);
        }

        _sentenceStarts[SentenceCount++] = Count;
    }

    /// <summary>Appends a token id.</summary>
    public void Add(int id)
    {
        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, _ids.Length * 2);
        }

        _ids[Count++] = id;
    }
}
