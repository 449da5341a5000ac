using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>An <see cref="IChatClient"/> over a <see cref="CausalLanguageModel"/> and its <see cref="ModelTokenizer"/>:
/// the conversation is rendered with the chat template, encoded, and continued with the KV cache. It serves a model
/// while it is being trained, e.g. as GenPI's teacher (with the prompt) or its student (without it).</summary>
/// <remarks>
/// <para>Decoding: greedy when <see cref="ChatOptions.Temperature"/> is <see langword="null"/> or 0, otherwise sampled
/// with <see cref="ChatOptions.Seed"/> (default 0). Generation ends at an end-of-sequence or end-of-turn token
/// (<see cref="ChatFinishReason.Stop"/>, not returned), at a <see cref="ChatOptions.StopSequences"/> entry
/// (<see cref="ChatFinishReason.Stop"/>; the stop text and what follows are cut), or at
/// <see cref="ChatOptions.MaxOutputTokens"/> (default 256) or the model's positions (<see cref="ChatFinishReason.Length"/>).</para>
/// <para>Requests are served one at a time, also across clients of one model (the model holds the lock); streaming yields the whole reply as one update.
/// The client does not own the model: dispose the model yourself.</para>
/// </remarks>
public sealed class TorchChatClient : IChatClient
{
    /// <summary>The provider name reported in <see cref="ChatClientMetadata.ProviderName"/>.</summary>
    public const string ProviderName = "torchsharp";

    private readonly CausalLanguageModel _model;
    private readonly ModelTokenizer _tokenizer;

    /// <summary>Initializes a new instance of the <see cref="TorchChatClient"/> class.</summary>
    /// <param name="model">The model (not owned).</param>
    /// <param name="tokenizer">Its tokenizer and chat template.</param>
    /// <param name="modelId">The id reported in responses, or <see langword="null"/> for the architecture name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    public TorchChatClient(CausalLanguageModel model, ModelTokenizer tokenizer, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _tokenizer = tokenizer;
        Metadata = new ChatClientMetadata(ProviderName, providerUri: null, defaultModelId: modelId ?? model.Config.Architecture);
    }

    /// <summary>Gets the client's metadata.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Respond(messages, options, cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(response.Text), new UsageContent(response.Usage!)])
        {
            FinishReason = response.FinishReason,
            ModelId = response.ModelId,
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_model) ? _model
            : null;
    }

    /// <summary>Does nothing: the model is not owned by the client.</summary>
    public void Dispose()
    {
    }

    private ChatResponse Respond(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        IReadOnlyList<int> prompt = _tokenizer.EncodeChat(messages);
        int maxOutput = options?.MaxOutputTokens ?? 256;
        if (maxOutput <= 0)
        {
            throw new ArgumentException($"MaxOutputTokens must be positive (is {maxOutput}).", nameof(options));
        }

        if (prompt.Count >= _model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"The conversation takes {prompt.Count} tokens; the model has {_model.Config.MaxPositionEmbeddings} positions.", nameof(messages));
        }

        var generation = new GenerationOptions
        {
            MaxNewTokens = maxOutput,
            Temperature = options?.Temperature ?? 0,
            Seed = (int)(options?.Seed ?? 0),
        };
        foreach (int id in _tokenizer.EndOfSequenceTokenIds.Concat(_model.Config.EndOfSequenceTokenIds).Distinct())
        {
            generation.StopTokenIds.Add(id);
        }

        if (generation.StopTokenIds.Count == 0)
        {
            generation.StopTokenIds.Add(-1); // none known: stop at the length limit only
        }

        IReadOnlyList<int> generated = _model.Generate(prompt, generation, cancellationToken); // the model serializes its own use

        bool stopped = generated.Count > 0 && generation.StopTokenIds.Contains(generated[^1]);
        string text = _tokenizer.Decode(stopped ? generated.Take(generated.Count - 1) : generated);
        foreach (string stop in options?.StopSequences ?? [])
        {
            int at = string.IsNullOrEmpty(stop) ? -1 : text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
                stopped = true;
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = Metadata.DefaultModelId,
            FinishReason = stopped ? ChatFinishReason.Stop : ChatFinishReason.Length,
            Usage = new UsageDetails { InputTokenCount = prompt.Count, OutputTokenCount = generated.Count, TotalTokenCount = prompt.Count + generated.Count },
        };
    }
}
