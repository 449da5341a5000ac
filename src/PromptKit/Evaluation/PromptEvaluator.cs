using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PromptKit;

/// <summary>
/// Sends chat requests to a frozen model (<see cref="IChatClient"/>) with a concurrency bound, a per-call timeout, retries
/// on transient faults, cancellation, a response cache and counters; every trainer scores prompts through it.
/// </summary>
/// <remarks>
/// <para>
/// The instance is thread-safe. At most <see cref="PromptEvaluatorOptions.MaxConcurrency"/> model calls run at once over
/// all callers of one instance. Each call is limited to <see cref="PromptEvaluatorOptions.Timeout"/> and retried up to
/// <see cref="PromptEvaluatorOptions.MaxRetryAttempts"/> times, with exponential backoff and jitter, when it fails with a
/// transient fault (Polly <see cref="ResiliencePipeline"/>: retry around timeout, on the given <see cref="TimeProvider"/>).
/// </para>
/// <para>
/// Nothing is reported as a success unless it is one: a response with empty or white-space text is
/// <see cref="EvaluationStatus.Empty"/>, one the provider's content filter stopped (<see cref="ChatFinishReason.ContentFilter"/>)
/// or one rejected by <see cref="PromptEvaluatorOptions.ResponseValidator"/> is <see cref="EvaluationStatus.Malformed"/>, an exception left after the retries is <see cref="EvaluationStatus.Failed"/>
/// and a last attempt that ran out of time is <see cref="EvaluationStatus.TimedOut"/>, with the exception kept. A response
/// cut off at the output-token limit (<see cref="ChatFinishReason.Length"/>) is the model's answer under that limit and
/// counts as a success; reject it with a <see cref="PromptEvaluatorOptions.ResponseValidator"/> if it should not.
/// </para>
/// <para>
/// Cache keys also carry <see cref="PromptEvaluatorOptions.CachePartition"/> (by default the client's provider, endpoint
/// and default model), so evaluators of different models that share one cache never answer for each other.
/// </para>
/// <para>
/// With <see cref="PromptEvaluatorOptions.UseCache"/>, a request is keyed by the SHA-256 of a canonical form of its
/// messages (role, author name, text) and of the chat options that change the output (model id, instructions,
/// temperature, top-p, top-k, max output tokens, penalties, seed, stop sequences, response format, reasoning). A repeated
/// request is answered from the cache, and identical requests in flight share one call. Only
/// <see cref="EvaluationStatus.Succeeded"/> responses are stored. Requests with content the key cannot describe
/// (non-text content, tools, conversation ids, additional properties) always call the model.
/// </para>
/// <para>
/// Cancelling the caller's token ends that caller's wait at once with an <see cref="OperationCanceledException"/>; a
/// shared call is cancelled when no caller waits for it any more, and no call starts for a cancelled caller.
/// </para>
/// </remarks>
public sealed partial class PromptEvaluator : IDisposable
{
    private readonly IChatClient _chatClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IPromptResponseCache? _cache;
    private readonly ChatOptions? _defaultChatOptions;
    private readonly Func<Exception, bool>? _isTransient;
    private readonly Func<ChatResponse, bool>? _responseValidator;
    private readonly TimeSpan _timeout;
    private readonly int _maxConcurrency;
    private readonly SemaphoreSlim _concurrency;
    private readonly string _cachePartition;
    private readonly ResiliencePipeline _pipeline;
    private readonly PromptEvaluatorCounters _counters;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InFlightRequest> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<InFlightRequest> _running = [];
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PromptEvaluator"/> class.</summary>
    /// <param name="chatClient">The client of the frozen model.</param>
    /// <param name="options">The options; <see langword="null"/> uses the defaults. They are validated and copied.</param>
    /// <param name="timeProvider">The time source for timeouts, retry delays and durations; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> logs nothing.</param>
    /// <param name="cache">The response cache; <see langword="null"/> creates a <see cref="MemoryPromptResponseCache"/> of <see cref="PromptEvaluatorOptions.MaxCacheEntries"/> entries. Ignored when <see cref="PromptEvaluatorOptions.UseCache"/> is <see langword="false"/>.</param>
    /// <param name="meterFactory">The factory of the <c>PromptKit.Evaluation</c> meter; <see langword="null"/> uses a process-wide meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    public PromptEvaluator(
        IChatClient chatClient,
        PromptEvaluatorOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<PromptEvaluator>? logger = null,
        IPromptResponseCache? cache = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        options ??= new PromptEvaluatorOptions();
        PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(options);

        _chatClient = chatClient;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = options.UseCache ? cache ?? new MemoryPromptResponseCache(options.MaxCacheEntries) : null;
        _defaultChatOptions = options.DefaultChatOptions?.Clone();
        _isTransient = options.IsTransient;
        _responseValidator = options.ResponseValidator;
        _timeout = options.Timeout;
        _maxConcurrency = options.MaxConcurrency;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _cachePartition = options.CachePartition ?? DescribeClient(chatClient);
        _counters = new PromptEvaluatorCounters(meterFactory);
        _pipeline = BuildPipeline(options);
    }

    /// <summary>Gets a snapshot of the evaluator's counters.</summary>
    /// <value>A new immutable snapshot on each read; later requests do not change it.</value>
    public PromptEvaluatorStatistics Statistics => _counters.Snapshot();

    /// <summary>Sends one request to the model and records how it ended.</summary>
    /// <param name="messages">The request's messages, in order.</param>
    /// <param name="options">The chat options; <see langword="null"/> uses <see cref="PromptEvaluatorOptions.DefaultChatOptions"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The evaluation; model failures are reported through <see cref="PromptEvaluation.Status"/>, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="messages"/> is empty or holds a <see langword="null"/> message.</exception>
    /// <exception cref="ObjectDisposedException">The evaluator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<PromptEvaluation> EvaluateAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ValidateMessages(messages, nameof(messages), requestIndex: -1);
        ValidateChatOptions(options, nameof(options));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);

        return EvaluateCoreAsync(messages, options ?? _defaultChatOptions, cancellationToken);
    }

    /// <summary>Sends many requests to the model, at most <see cref="PromptEvaluatorOptions.MaxConcurrency"/> calls at once, and returns the evaluations in input order.</summary>
    /// <param name="requests">The requests; each is a list of messages.</param>
    /// <param name="options">The chat options for every request; <see langword="null"/> uses <see cref="PromptEvaluatorOptions.DefaultChatOptions"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>One evaluation per request, in the order of <paramref name="requests"/>; an empty array for no requests.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="requests"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A request is <see langword="null"/> or empty, or holds a <see langword="null"/> message.</exception>
    /// <exception cref="ObjectDisposedException">The evaluator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<ImmutableArray<PromptEvaluation>> EvaluateManyAsync(
        IReadOnlyList<IReadOnlyList<ChatMessage>> requests,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (int i = 0; i < requests.Count; i++)
        {
            IReadOnlyList<ChatMessage> request = requests[i]
                ?? throw new ArgumentException($"The request at index {i} is null. Pass a list of at least one chat message for every request.", nameof(requests));
            ValidateMessages(request, nameof(requests), i);
        }

        ValidateChatOptions(options, nameof(options));

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);

        return EvaluateManyCoreAsync(requests, options ?? _defaultChatOptions, cancellationToken);
    }

    /// <summary>Cancels the model calls in flight and makes further calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <remarks>Callers waiting for a cancelled call get an <see cref="ObjectDisposedException"/>. The cache is not disposed.</remarks>
    public void Dispose()
    {
        InFlightRequest[] running;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            running = [.. _running];
        }

        foreach (InFlightRequest request in running)
        {
            request.Cancellation.Cancel();
        }
    }

    private static void ValidateMessages(IReadOnlyList<ChatMessage> messages, string paramName, int requestIndex)
    {
        string where = requestIndex < 0 ? "The request" : $"The request at index {requestIndex}";
        if (messages.Count == 0)
        {
            throw new ArgumentException($"{where} contains no messages. Pass at least one chat message.", paramName);
        }

        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i] is null)
            {
                throw new ArgumentException($"{where} holds a null message at index {i}. Remove it or pass a ChatMessage.", paramName);
            }
        }
    }

    private static void ValidateChatOptions(ChatOptions? options, string paramName)
    {
        if (options is null)
        {
            return;
        }

        ThrowIfNotFinite(options.Temperature, "Temperature");
        ThrowIfNotFinite(options.TopP, "TopP");
        ThrowIfNotFinite(options.FrequencyPenalty, "FrequencyPenalty");
        ThrowIfNotFinite(options.PresencePenalty, "PresencePenalty");

        void ThrowIfNotFinite(float? value, string name)
        {
            if (value is float v && !float.IsFinite(v))
            {
                throw new ArgumentOutOfRangeException(paramName, v, $"ChatOptions.{name} is {v}; it must be a finite number or null.");
            }
        }
    }

    /// <summary>Names the model behind a client for the cache key, so that two clients of different models never share answers.</summary>
    private static string DescribeClient(IChatClient chatClient)
    {
        ChatClientMetadata? metadata = chatClient.GetService<ChatClientMetadata>();
        return metadata is null
            ? chatClient.GetType().FullName ?? "unknown"
            : $"{metadata.ProviderName}|{metadata.ProviderUri}|{metadata.DefaultModelId}";
    }

    private ResiliencePipeline BuildPipeline(PromptEvaluatorOptions options)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(IsTransientFault(args.Outcome.Exception, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    _counters.AddRetry();
                    Log.Retrying(_logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout });
        return builder.Build();
    }

    private bool IsTransientFault(Exception? exception, CancellationToken cancellationToken)
    {
        if (exception is null || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            HttpRequestException or IOException or TimeoutRejectedException => true,

            // Not caused by the caller (checked above): e.g. HttpClient.Timeout surfaces as TaskCanceledException.
            OperationCanceledException => true,
            _ => _isTransient?.Invoke(exception) ?? false,
        };
    }

    private async Task<ImmutableArray<PromptEvaluation>> EvaluateManyCoreAsync(
        IReadOnlyList<IReadOnlyList<ChatMessage>> requests,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        var results = new PromptEvaluation[requests.Count];
        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            Enumerable.Range(0, requests.Count),
            parallelOptions,
            async (index, token) => results[index] = await EvaluateCoreAsync(requests[index], options, token).ConfigureAwait(false))
            .ConfigureAwait(false);
        return ImmutableCollectionsMarshal.AsImmutableArray(results);
    }

    private async Task<PromptEvaluation> EvaluateCoreAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _counters.AddRequest();
        long started = _timeProvider.GetTimestamp();

        string? key = _cache is null ? null : PromptRequestKey.TryCreate(messages, options, _cachePartition);
        if (key is not null)
        {
            PromptResponseCacheEntry? entry = await TryGetCachedAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                _counters.AddCacheHit();
                PromptEvaluation cached = Classify(entry.ToResponse(), attempts: 0, fromCache: true);
                return Complete(cached, shared: false, started);
            }
        }

        (InFlightRequest request, bool joined) = JoinOrStart(key, messages, options);
        var waiter = new Waiter(this, request);
        PromptEvaluation result;

        // The registration leaves the call inside Cancel() itself, so no model call starts after the caller cancelled;
        // the catch covers a registration disposed before its callback ran (WaitAsync may resume inline).
        using (cancellationToken.Register(static state => ((Waiter)state!).Leave(), waiter))
        {
            try
            {
                result = await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                waiter.Leave();
                throw;
            }
        }

        if (joined)
        {
            _counters.AddCacheHit();
        }

        return Complete(result, joined, started);
    }

    private PromptEvaluation Complete(PromptEvaluation result, bool shared, long started)
    {
        _counters.AddResult(result.Status);

        // A joiner gets its own copy of the response, so no caller can change another caller's result.
        ChatResponse? response = shared && result.Response is not null
            ? PromptResponseCacheEntry.FromResponse(result.Response).ToResponse()
            : result.Response;
        return new PromptEvaluation
        {
            Status = result.Status,
            Text = result.Text,
            Response = response,
            Error = result.Error,
            FromCache = result.FromCache || shared,
            Attempts = shared ? 0 : result.Attempts,
            Usage = response?.Usage,
            Duration = _timeProvider.GetElapsedTime(started),
        };
    }

    private (InFlightRequest Request, bool Joined) JoinOrStart(string? key, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        InFlightRequest request;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (key is not null && _inFlight.TryGetValue(key, out InFlightRequest? existing))
            {
                existing.Waiters++;
                return (existing, true);
            }

            request = new InFlightRequest(key, messages, options);
            if (key is not null)
            {
                _inFlight.Add(key, request);
            }

            _running.Add(request);
        }

        _ = RunAsync(request);
        return (request, false);
    }

    private void Leave(InFlightRequest request)
    {
        lock (_lock)
        {
            if (request.Finished || --request.Waiters > 0)
            {
                return;
            }

            // Nobody waits any more: stop sharing it, then cancel it (outside the lock: callbacks may run inline).
            RemoveInFlight(request);
        }

        request.Cancellation.Cancel();
    }

    private void Finish(InFlightRequest request)
    {
        lock (_lock)
        {
            request.Finished = true;
            RemoveInFlight(request);
            _running.Remove(request);
        }
    }

    private void RemoveInFlight(InFlightRequest request)
    {
        if (request.Key is not null
            && _inFlight.TryGetValue(request.Key, out InFlightRequest? current)
            && ReferenceEquals(current, request))
        {
            _inFlight.Remove(request.Key);
        }
    }

    private async Task RunAsync(InFlightRequest request)
    {
        // Return to the caller before touching the model, so that the caller's cancellation is registered even when
        // the chat client does its work synchronously (a local model such as OnnxChatClient).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        CancellationToken token = request.Cancellation.Token;
        try
        {
            PromptEvaluation result;
            await _concurrency.WaitAsync(token).ConfigureAwait(false);
            try
            {
                result = await CallModelAsync(request, token).ConfigureAwait(false);
            }
            finally
            {
                _concurrency.Release();
            }

            if (result.Status == EvaluationStatus.Succeeded && request.Key is not null && result.Response is not null)
            {
                // Stored before the in-flight entry is removed, so an identical request finds one or the other.
                await TrySetCachedAsync(request.Key, result.Response, token).ConfigureAwait(false);
            }

            Finish(request);
            request.Completion.TrySetResult(result);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Finish(request);
            if (Volatile.Read(ref _disposed))
            {
                request.Completion.TrySetException(new ObjectDisposedException(nameof(PromptEvaluator), "The prompt evaluator was disposed while the request was running."));
            }
            else
            {
                request.Completion.TrySetCanceled(token);
            }
        }
        catch (Exception ex)
        {
            Finish(request);
            request.Completion.TrySetException(ex);
        }
    }

    private async Task<PromptEvaluation> CallModelAsync(InFlightRequest request, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            ChatResponse response = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Evaluator.InvokeClientAsync(state.Request, ctx.CancellationToken),
                context,
                (Evaluator: this, Request: request)).ConfigureAwait(false);
            PromptEvaluation result = Classify(response, request.Attempts, fromCache: false);
            if (!result.IsSuccess)
            {
                Log.ResponseRejected(_logger, result.Error, result.Status, request.Attempts);
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            Log.TimedOut(_logger, ex, request.Attempts, _timeout);
            return new PromptEvaluation { Status = EvaluationStatus.TimedOut, Error = ex, Attempts = request.Attempts };
        }
        catch (Exception ex)
        {
            Log.Failed(_logger, ex, request.Attempts);
            return new PromptEvaluation { Status = EvaluationStatus.Failed, Error = ex, Attempts = request.Attempts };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<ChatResponse> InvokeClientAsync(InFlightRequest request, CancellationToken cancellationToken)
    {
        request.Attempts++;
        _counters.AddModelCall();
        ChatResponse? response = await _chatClient.GetResponseAsync(request.Messages, request.Options, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            throw new InvalidOperationException(
                $"The chat client {_chatClient.GetType().FullName} returned null from GetResponseAsync. It must return a ChatResponse or throw.");
        }

        _counters.AddUsage(response.Usage);
        return response;
    }

    private PromptEvaluation Classify(ChatResponse response, int attempts, bool fromCache)
    {
        string text = response.Text;
        EvaluationStatus status = EvaluationStatus.Succeeded;
        Exception? error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            status = EvaluationStatus.Empty;
        }
        else if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            // The provider replaced or cut the answer: what is left is not the model's answer to the prompt.
            status = EvaluationStatus.Malformed;
        }
        else if (_responseValidator is not null)
        {
            try
            {
                if (!_responseValidator(response))
                {
                    status = EvaluationStatus.Malformed;
                }
            }
            catch (Exception ex)
            {
                // The validator's exception is kept on the result: the response is recorded as malformed, not lost.
                status = EvaluationStatus.Malformed;
                error = ex;
            }
        }

        return new PromptEvaluation
        {
            Status = status,
            Text = text,
            Response = response,
            Error = error,
            FromCache = fromCache,
            Attempts = attempts,
            Usage = response.Usage,
        };
    }

    private async ValueTask<PromptResponseCacheEntry?> TryGetCachedAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache!.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A cache outage must not stop training: the request goes to the model, and the fault is logged.
            Log.CacheReadFailed(_logger, ex, key);
            return null;
        }
    }

    private async ValueTask TrySetCachedAsync(string key, ChatResponse response, CancellationToken cancellationToken)
    {
        try
        {
            await _cache!.SetAsync(key, PromptResponseCacheEntry.FromResponse(response), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.CacheWriteFailed(_logger, ex, key);
        }
    }

    /// <summary>One caller waiting for an <see cref="InFlightRequest"/>; leaves it at most once.</summary>
    private sealed class Waiter(PromptEvaluator evaluator, InFlightRequest request)
    {
        private int _left;

        public void Leave()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                evaluator.Leave(request);
            }
        }
    }

    /// <summary>One model call, shared by every caller that waits for the same request.</summary>
    private sealed class InFlightRequest(string? key, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        public string? Key { get; } = key;

        public IReadOnlyList<ChatMessage> Messages { get; } = messages;

        public ChatOptions? Options { get; } = options;

        /// <summary>Gets the source cancelled when no caller waits any more, or when the evaluator is disposed.</summary>
        /// <remarks>Never linked to another token and never given a timer, so it holds no resources and needs no disposal.</remarks>
        public CancellationTokenSource Cancellation { get; } = new();

        public TaskCompletionSource<PromptEvaluation> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Gets or sets the number of callers waiting (guarded by the evaluator's lock).</summary>
        public int Waiters { get; set; } = 1;

        /// <summary>Gets or sets a value indicating whether the call has ended (guarded by the evaluator's lock).</summary>
        public bool Finished { get; set; }

        /// <summary>Gets or sets the number of model calls made; attempts run one after another.</summary>
        public int Attempts { get; set; }
    }
}
