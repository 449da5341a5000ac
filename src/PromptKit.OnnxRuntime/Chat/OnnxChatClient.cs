using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace PromptKit.OnnxRuntime;

/// <summary>An <see cref="IChatClient"/> that runs a decoder-only causal language model exported to ONNX, fully locally.</summary>
/// <remarks>
/// <para>The conversation is rendered by the chat template, tokenized, and continued token by token. When the model has
/// past key/value inputs (<see cref="OnnxChatClientOptions.PastKeyNameFormat"/>), the prompt is fed once and each later
/// step feeds one token with the previous step's <c>present</c> outputs as the cache; a model without them is run on
/// the whole sequence at every step. Both give the same tokens.</para>
/// <para>Decoding: greedy (argmax) when <see cref="ChatOptions.Temperature"/> is <see langword="null"/> or 0; otherwise
/// temperature sampling restricted by <see cref="ChatOptions.TopK"/> and <see cref="ChatOptions.TopP"/>, drawn from
/// <see cref="Random"/> seeded with <see cref="ChatOptions.Seed"/> (the same seed and request give the same text).
/// Generation ends at an <see cref="OnnxChatClientOptions.EndOfSequenceTokenIds"/> token or a
/// <see cref="ChatOptions.StopSequences"/> entry (<see cref="ChatFinishReason.Stop"/>; the stop sequence and what follows
/// are not returned), or at <see cref="ChatOptions.MaxOutputTokens"/> or the context length
/// (<see cref="ChatFinishReason.Length"/>). Usage counts the prompt tokens and every generated token, including an
/// end-of-sequence token and tokens cut off with a stop sequence. Tools, response formats and penalties are ignored.</para>
/// <para>The model runs on the calling thread: the returned tasks complete when generation has finished, and streaming
/// computes one token per <c>MoveNextAsync</c>. Cancellation is checked before every step and also stops a model run in
/// progress; it surfaces as <see cref="OperationCanceledException"/>.</para>
/// <para>Thread-safe: concurrent requests share the session and keep their own cache. Dispose the client once, when no
/// request is running.</para>
/// </remarks>
public sealed partial class OnnxChatClient : IChatClient
{
    /// <summary>The provider name reported in <see cref="ChatClientMetadata.ProviderName"/>.</summary>
    public const string ProviderName = "onnxruntime";

    private readonly OnnxSession _session;
    private readonly DecoderSignature _signature;
    private readonly Tokenizer _tokenizer;
    private readonly Func<IEnumerable<ChatMessage>, string> _template;
    private readonly int[] _endOfSequence;
    private readonly int _maxContext;
    private readonly int _defaultMaxOutputTokens;
    private readonly string _modelId;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="OnnxChatClient"/> class: validates the options, loads the model and checks its signature.</summary>
    /// <param name="options">The options; their values are copied, later changes have no effect.</param>
    /// <param name="logger">Where to log the execution provider and model layout, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    /// <exception cref="ModelLoadException">The model file is missing or corrupt, or lacks the inputs and outputs of a decoder (the message names the file and the expected names).</exception>
    /// <exception cref="OnnxProviderUnavailableException">CUDA was requested explicitly and is not available.</exception>
    public OnnxChatClient(OnnxChatClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxChatClientOptionsValidator.ThrowIfInvalid(options);
        logger ??= NullLogger.Instance;

        string modelPath = options.ModelPath!;
        _tokenizer = options.Tokenizer!;
        _template = options.ChatTemplate ?? FormatDefaultPrompt;
        _endOfSequence = [.. options.EndOfSequenceTokenIds];
        _maxContext = options.MaxContextLength;
        _defaultMaxOutputTokens = options.DefaultMaxOutputTokens;
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? Path.GetFileNameWithoutExtension(modelPath) : options.ModelId;
        _session = OnnxSessionFactory.Create(modelPath, options.Session, logger);
        try
        {
            _signature = DecoderSignature.Read(_session.Session, options, modelPath);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        Metadata = new ChatClientMetadata(ProviderName, providerUri: null, defaultModelId: _modelId);
        LogLoaded(logger, modelPath, _signature.LayerCount, _signature.HasCache, _session.ExecutionProvider);
    }

    /// <summary>Gets the metadata of this client: provider <see cref="ProviderName"/> and the model id.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <summary>Gets the name of the ONNX Runtime execution provider that runs the model, e.g. <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider => _session.ExecutionProvider;

    /// <summary>Gets a value indicating whether the model has past key/value inputs, so that decoding feeds one token per step.</summary>
    public bool HasKeyValueCache => _signature.HasCache;

    /// <summary>Renders messages with the built-in template: <c>&lt;|role|&gt;\n{text}\n</c> for each message (role in lower case, e.g. <c>system</c>, <c>user</c>, <c>assistant</c>), then <c>&lt;|assistant|&gt;\n</c>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>The prompt text; for no messages, only the generation prompt <c>&lt;|assistant|&gt;\n</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="messages"/> contains <see langword="null"/>.</exception>
    public static string FormatDefaultPrompt(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);

        var builder = new StringBuilder();
        int index = 0;
        foreach (ChatMessage message in messages)
        {
            if (message is null)
            {
                throw new ArgumentException($"The message at index {index} is null.", nameof(messages));
            }

            builder.Append("<|").Append(message.Role.Value.ToLowerInvariant()).Append("|>\n").Append(message.Text).Append('\n');
            index++;
        }

        return builder.Append("<|assistant|>\n").ToString();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The rendered prompt is empty or does not leave room for one token in the context.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> has a negative or non-finite temperature, a top-p outside (0, 1], a negative top-k or a non-positive maximum of output tokens.</exception>
    /// <exception cref="ObjectDisposedException">The client has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Request request = Prepare(messages, options);
        return CompleteAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The rendered prompt is empty or does not leave room for one token in the context.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> has a negative or non-finite temperature, a top-p outside (0, 1], a negative top-k or a non-positive maximum of output tokens.</exception>
    /// <exception cref="ObjectDisposedException">The client has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled (thrown by the enumerator).</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Request request = Prepare(messages, options);
        return StreamAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Returns <see cref="Metadata"/> for <see cref="ChatClientMetadata"/>, this client for its own types (the session it owns is not handed out; see <see cref="ExecutionProvider"/>), and <see langword="null"/> for anything else or any <paramref name="serviceKey"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Disposes the ONNX Runtime session. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }

    /// <summary>Runs the model once on token ids and returns the logits for the next token (test and diagnostics hook).</summary>
    internal float[] ComputeNextTokenLogits(IReadOnlyList<int> tokenIds)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var run = new DecoderRun(_session.Session, _signature, tokenIds.Count, CancellationToken.None);
        run.Prefill(tokenIds);
        return run.Logits.ToArray();
    }

    /// <summary>Generates like <see cref="GetResponseAsync"/> and returns every generated token id (test hook).</summary>
    internal IReadOnlyList<int> GenerateTokenIds(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        Request request = Prepare(messages, options);
        foreach (string _ in Generate(request, cancellationToken))
        {
        }

        return request.GeneratedIds;
    }

    /// <summary>Tokenizes a prompt text as the client does (test hook).</summary>
    internal IReadOnlyList<int> Tokenize(string text) => _tokenizer.EncodeToIds(text);

    private static long FoldSeed(long seed) => seed ^ (seed >>> 32);

    private Request Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        float temperature = options?.Temperature ?? 0f;
        float topP = options?.TopP ?? 1f;
        int topK = options?.TopK ?? 0;
        int maxOutputTokens = options?.MaxOutputTokens ?? _defaultMaxOutputTokens;
        if (!float.IsFinite(temperature) || temperature < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(options), temperature, "ChatOptions.Temperature must be a finite number >= 0 (0 or null decodes greedily).");
        }

        if (!float.IsFinite(topP) || topP <= 0f || topP > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(options), topP, "ChatOptions.TopP must be in (0, 1] (1 or null keeps every token).");
        }

        if (topK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), topK, "ChatOptions.TopK must not be negative (0 or null keeps every token).");
        }

        if (maxOutputTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxOutputTokens, "ChatOptions.MaxOutputTokens must be positive.");
        }

        List<ChatMessage> conversation = [];
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            conversation.Add(new ChatMessage(ChatRole.System, options.Instructions));
        }

        conversation.AddRange(messages);
        string prompt = _template(conversation)
            ?? throw new InvalidOperationException("The chat template returned null; it must return the prompt text.");
        IReadOnlyList<int> promptIds = _tokenizer.EncodeToIds(prompt);
        if (promptIds.Count == 0)
        {
            throw new ArgumentException("The rendered prompt has no tokens; give at least one message or a template that produces text.", nameof(messages));
        }

        if (promptIds.Count >= _maxContext)
        {
            throw new ArgumentException(
                $"The prompt has {promptIds.Count} tokens, which leaves no room in the model's context of {_maxContext} tokens. " +
                "Shorten the conversation or raise OnnxChatClientOptions.MaxContextLength (up to the model's limit).",
                nameof(messages));
        }

        string[] stops = options?.StopSequences?.Where(static s => !string.IsNullOrEmpty(s)).ToArray() ?? [];
        Random? random = temperature > 0f
            ? (options?.Seed is long seed ? new Random(unchecked((int)FoldSeed(seed))) : new Random())
            : null;
        int budget = Math.Min(maxOutputTokens, _maxContext - promptIds.Count);
        return new Request(promptIds, budget, new TokenSampler(temperature, topP, topK, random), stops);
    }

    private async Task<ChatResponse> CompleteAsync(Request request, CancellationToken cancellationToken)
    {
        await foreach (string _ in GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
        }

        string id = Guid.NewGuid().ToString("N");
        var message = new ChatMessage(ChatRole.Assistant, request.Text) { MessageId = id };
        return new ChatResponse(message)
        {
            ResponseId = id,
            ModelId = _modelId,
            FinishReason = request.FinishReason,
            Usage = request.Usage(),
        };
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(Request request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string id = Guid.NewGuid().ToString("N");
        await foreach (string delta in GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta) { ResponseId = id, MessageId = id, ModelId = _modelId };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(request.Usage())])
        {
            ResponseId = id,
            MessageId = id,
            ModelId = _modelId,
            FinishReason = request.FinishReason,
        };
    }

// The model runs synchronously; this async iterator lets both public methods share one loop.
    private async IAsyncEnumerable<string> GenerateAsync(Request request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (string delta in Generate(request, cancellationToken))
        {
            yield return delta;
        }
    }

    private IEnumerable<string> Generate(Request request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var run = new DecoderRun(_session.Session, _signature, request.PromptIds.Count + request.Budget, cancellationToken);
        var text = new GeneratedText(_tokenizer, request.StopSequences);
        run.Prefill(request.PromptIds);
        ChatFinishReason reason = ChatFinishReason.Length;
        for (int step = 0; step < request.Budget; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int token = request.Sampler.Next(run.Logits);
            request.GeneratedIds.Add(token);
            if (Array.IndexOf(_endOfSequence, token) >= 0)
            {
                reason = ChatFinishReason.Stop;
                break;
            }

            text.Add(token);
            if (text.StopSequenceFound)
            {
                reason = ChatFinishReason.Stop;
                break;
            }

            string? delta = text.TakeDelta(final: false);
            if (delta is not null)
            {
                yield return delta;
            }

            if (step + 1 < request.Budget)
            {
                run.Append(token);
            }
        }

        request.Text = text.Text;
        request.FinishReason = reason;
        string? rest = text.TakeDelta(final: true);
        if (rest is not null)
        {
            yield return rest;
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "ONNX decoder {Model} loaded: {Layers} cached layer(s), KV cache {HasCache}, provider {Provider}.")]
    private static partial void LogLoaded(ILogger logger, string model, int layers, bool hasCache, string provider);

    /// <summary>One request: its inputs, sampler and, once generated, its text, finish reason and token ids.</summary>
    private sealed class Request(IReadOnlyList<int> promptIds, int budget, TokenSampler sampler, string[] stopSequences)
    {
        public IReadOnlyList<int> PromptIds { get; } = promptIds;

        public int Budget { get; } = budget;

        public TokenSampler Sampler { get; } = sampler;

        public string[] StopSequences { get; } = stopSequences;

        public List<int> GeneratedIds { get; } = [];

        public string Text { get; set; } = string.Empty;

        public ChatFinishReason FinishReason { get; set; } = ChatFinishReason.Length;

        public UsageDetails Usage() => new()
        {
            InputTokenCount = PromptIds.Count,
            OutputTokenCount = GeneratedIds.Count,
            TotalTokenCount = PromptIds.Count + GeneratedIds.Count,
        };
    }
}
