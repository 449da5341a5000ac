using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PromptKit;

/// <summary>
/// Sends chat requests to a frozen model (<see cref="IChatClient"/>) with a concurrency bound, a per-call timeout, retries
/// on transient faults, cancellation, a response cache and counters; every trainer scores prompts through it.
/// </summary>
/// <remarks>
/// <para>
/// The model is called through a Microsoft.Extensions.AI pipeline built with <see cref="ChatClientBuilder"/>, outermost
/// first: a <see cref="PromptResponseCachingChatClient"/> (when <see cref="PromptEvaluatorOptions.UseCache"/>), the
/// middleware added by <see cref="PromptEvaluatorOptions.ConfigurePipeline"/>, a <see cref="ResilientChatClient"/> with
/// PromptKit's retry and timeout policy (see <see cref="ResilientChatClientBuilderExtensions.UsePromptKitResilience"/>),
/// and the client passed in. The cache is outermost, so that a hit costs no retry, no timeout and no middleware call;
/// middleware sees each request that reaches the model once, however many attempts it takes.
/// </para>
/// <para>
/// The instance is thread-safe. At most <see cref="PromptEvaluatorOptions.MaxConcurrency"/> requests run through the
/// pipeline at once over all callers of one instance. Each model call is limited to <see cref="PromptEvaluatorOptions.Timeout"/>
/// and retried up to <see cref="PromptEvaluatorOptions.MaxRetryAttempts"/> times, with exponential backoff and jitter,
/// when it fails with a transient fault (Polly <see cref="ResiliencePipeline"/>: retry around a circuit breaker around
/// the timeout, on the given <see cref="TimeProvider"/>). When at least <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/>
/// of the attempts in the breaker's window (<see cref="PromptEvaluatorOptions.CircuitBreakerWindow"/>, stretched for slow timeouts) fail, the circuit opens and requests that
/// need the model throw <see cref="ModelUnavailableException"/>: a run against a model that does not answer stops, loudly,
/// instead of scoring every prompt as a failure. Every attempt, failed attempt (by HTTP status), timeout, retry and
/// circuit break is counted in <see cref="Statistics"/>; keep the chat client's own retries off so that they are all seen.
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
/// With <see cref="PromptEvaluatorOptions.UseCache"/>, a repeated request is answered from the cache: keys and rules are
/// those of <see cref="PromptResponseCachingChatClient"/>, partitioned by <see cref="PromptEvaluatorOptions.CachePartition"/>
/// (by default the client's provider, endpoint and default model), so evaluators of different models that share one
/// cache never answer for each other. Only <see cref="EvaluationStatus.Succeeded"/> responses are stored. Requests with
/// content the key cannot describe (non-text content, tools, conversation ids, additional properties) always call the
/// model. Identical requests in flight at the same time are not merged: each calls the model (see docs/architecture.md
/// for the measurement that decided this).
/// </para>
/// <para>
/// With a <see cref="PromptEvaluatorOptions.Budget"/>, each model call takes one call from the budget; once it is spent,
/// a request that needs the model throws <see cref="CallBudgetExceededException"/> (an <see cref="OperationCanceledException"/>),
/// which is neither retried nor reported as a failed evaluation. Cache hits cost nothing.
/// </para>
/// <para>
/// Cancelling the caller's token ends that caller's wait at once with an <see cref="OperationCanceledException"/> and
/// cancels its model call; no call starts for a cancelled caller.
/// </para>
/// </remarks>
public sealed partial class PromptEvaluator : IDisposable
{
    private readonly IChatClient _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ChatOptions? _defaultChatOptions;
    private readonly Func<ChatResponse, bool>? _responseValidator;
    private readonly TimeSpan _timeout;
    private readonly int _maxConcurrency;
    private readonly SemaphoreSlim _concurrency;
    private readonly PromptEvaluatorCounters _counters;
    private readonly CallBudget? _budget;
    private readonly AsyncLocal<ModelCallCount?> _currentCall = new();
    private readonly CircuitBreakerReport _breaker;

    // Never linked and never given a timer, so it holds no resources and needs no disposal; cancelled by Dispose.
    private readonly CancellationTokenSource _disposal = new();
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PromptEvaluator"/> class.</summary>
    /// <param name="chatClient">The client of the frozen model.</param>
    /// <param name="options">The options; <see langword="null"/> uses the defaults. They are validated and copied.</param>
    /// <param name="timeProvider">The time source for timeouts, retry delays and durations; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> logs nothing.</param>
    /// <param name="cache">The response cache, e.g. Redis to share responses between processes; <see langword="null"/> creates an in-memory cache of <see cref="PromptEvaluatorOptions.MaxCacheEntries"/> entries. Ignored when <see cref="PromptEvaluatorOptions.UseCache"/> is <see langword="false"/>.</param>
    /// <param name="meterFactory">The factory of the <c>PromptKit.Evaluation</c> meter; <see langword="null"/> uses a process-wide meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    /// <exception cref="InvalidOperationException"><see cref="PromptEvaluatorOptions.ConfigurePipeline"/> added a middleware factory that returned <see langword="null"/>.</exception>
    public PromptEvaluator(
        IChatClient chatClient,
        PromptEvaluatorOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<PromptEvaluator>? logger = null,
        IDistributedCache? cache = null,
        IMeterFactory? meterFactory = null)
        : this(chatClient, options, timeProvider, logger, cache, meterFactory, services: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptEvaluator"/> class whose pipeline resolves services from <paramref name="services"/>.</summary>
    internal PromptEvaluator(
        IChatClient chatClient,
        PromptEvaluatorOptions? options,
        TimeProvider? timeProvider,
        ILogger<PromptEvaluator>? logger,
        IDistributedCache? cache,
        IMeterFactory? meterFactory,
        IServiceProvider? services)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        options ??= new PromptEvaluatorOptions();
        PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(options);

        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _defaultChatOptions = options.DefaultChatOptions?.Clone();
        _responseValidator = options.ResponseValidator;
        _timeout = options.Timeout;
        _maxConcurrency = options.MaxConcurrency;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _counters = new PromptEvaluatorCounters(meterFactory, _timeProvider);
        _budget = options.Budget;
        _breaker = new CircuitBreakerReport(options);
        _pipeline = BuildPipeline(chatClient, options, cache, services);
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
    /// <remarks>Callers waiting for a cancelled call get an <see cref="ObjectDisposedException"/>. Neither the chat client nor the cache is disposed.</remarks>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _disposal.Cancel();
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

    private IChatClient BuildPipeline(IChatClient chatClient, PromptEvaluatorOptions options, IDistributedCache? cache, IServiceProvider? services)
    {
        // First Use = outermost: cache → the user's middleware → retry/timeout → counting → the model.
        var builder = new ChatClientBuilder(new ModelCallObserver(chatClient, this));
        if (options.UseCache)
        {
            IDistributedCache storage = cache ?? new BoundedMemoryDistributedCache(options.MaxCacheEntries);
            string partition = options.CachePartition ?? PromptResponseCachingChatClient.DescribeModel(chatClient);
            builder.Use(inner => new PromptResponseCachingChatClient(inner, storage, _logger)
            {
                Partition = partition,
                ShouldCache = options.ResponseValidator,
                EntryOptions = options.CacheEntryOptions is { } entry
                    ? new DistributedCacheEntryOptions
                    {
                        AbsoluteExpiration = entry.AbsoluteExpiration,
                        AbsoluteExpirationRelativeToNow = entry.AbsoluteExpirationRelativeToNow,
                        SlidingExpiration = entry.SlidingExpiration,
                    }
                    : null,
            });
        }

        options.ConfigurePipeline?.Invoke(builder);
        builder.UseResilience(PromptKitResilience.Create(options, _timeProvider, OnRetry, _counters.AddTimedOutAttempt, OnBreak));
        return builder.Build(services);
    }

    private void OnRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        _counters.AddRetry();
        Log.Retrying(_logger, exception, attempt, delay);
    }

    private void OnBreak(Exception? exception)
    {
        _breaker.Opened(exception);
        _counters.AddCircuitBreak();
        Log.CircuitOpened(_logger, exception, _breaker.Ratio, _breaker.Window);
    }

    private ModelUnavailableException Unavailable(BrokenCircuitException exception)
    {
        _counters.AddCircuitRejection();
        return _breaker.Unavailable(exception);
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
        OperationCanceledException? stop = null;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, requests.Count),
            parallelOptions,
            async (index, token) =>
            {
                try
                {
                    results[index] = await EvaluateCoreAsync(requests[index], options, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException exception) when (exception is CallBudgetExceededException or ModelUnavailableException)
                {
                    // Not rethrown here: that would cancel the batch's calls in flight, which are paid for already and
                    // must finish (and reach the cache). The first refusal (a spent budget or an open circuit) is
                    // rethrown once the batch has settled.
                    Interlocked.CompareExchange(ref stop, exception, null);
                }
            })
            .ConfigureAwait(false);
        if (stop is not null)
        {
            throw stop;
        }

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

        // WaitAsync ends the caller's wait at once even when the client ignores its token.
        PromptEvaluation result = await RunAsync(messages, options, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        _counters.AddResult(result.Status);
        return new PromptEvaluation
        {
            Status = result.Status,
            Text = result.Text,
            Response = result.Response,
            Error = result.Error,
            FromCache = result.FromCache,
            Attempts = result.Attempts,
            Usage = result.Usage,
            Duration = _timeProvider.GetElapsedTime(started),
        };
    }

    private async Task<PromptEvaluation> RunAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        // Return to the caller before touching the model, so that many requests started from one thread run
        // concurrently even when the chat client does its work synchronously (a local model such as OnnxChatClient).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposal.Token);
        CancellationToken token = linked.Token;
        var call = new ModelCallCount();
        _currentCall.Value = call;
        ChatResponse response;
        try
        {
            await _concurrency.WaitAsync(token).ConfigureAwait(false);
            try
            {
                response = await _pipeline.GetResponseAsync(messages, options, token).ConfigureAwait(false);
            }
            finally
            {
                _concurrency.Release();
            }
        }
        catch (CallBudgetExceededException)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            throw Unavailable(ex);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (!cancellationToken.IsCancellationRequested && _disposal.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(PromptEvaluator), "The prompt evaluator was disposed while the request was running.");
            }

            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            Log.TimedOut(_logger, ex, call.Attempts, _timeout);
            return new PromptEvaluation { Status = EvaluationStatus.TimedOut, Error = ex, Attempts = call.Attempts };
        }
        catch (Exception ex)
        {
            Log.Failed(_logger, ex, call.Attempts);
            return new PromptEvaluation { Status = EvaluationStatus.Failed, Error = ex, Attempts = call.Attempts };
        }

        // No model call below the cache: the answer came from the cache (or from middleware that answered itself).
        bool fromCache = call.Attempts == 0;
        PromptEvaluation result = Classify(response, call.Attempts, fromCache);
        if (fromCache)
        {
            _counters.AddCacheHit();
        }
        else if (!result.IsSuccess)
        {
            Log.ResponseRejected(_logger, result.Error, result.Status, call.Attempts);
        }

        return result;
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

    /// <summary>The number of model calls one request made; attempts run one after another.</summary>
    private sealed class ModelCallCount
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public void Add() => Interlocked.Increment(ref _attempts);
    }

    /// <summary>The innermost stage: counts each model call (for the request that made it, and in the statistics) and the tokens it spent.</summary>
    private sealed class ModelCallObserver(IChatClient innerClient, PromptEvaluator evaluator) : DelegatingChatClient(innerClient)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            evaluator._budget?.TakeCall();
            evaluator._currentCall.Value?.Add();
            evaluator._counters.AddModelCall();
            ChatResponse? response;
            evaluator._counters.CallStarted();
            try
            {
                response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException(
                        $"The chat client {InnerClient.GetType().FullName} returned null from GetResponseAsync. It must return a ChatResponse or throw.");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not CallBudgetExceededException)
            {
                // A timeout or the caller's cancellation cancels the token: those are counted elsewhere or not at all.
                // A null response is a failed attempt too, so that every model call ends in exactly one counter.
                evaluator._counters.AddFailedAttempt(PromptKitResilience.StatusCodeOf(ex));
                throw;
            }
            finally
            {
                evaluator._counters.CallEnded();
            }

            evaluator._counters.AddUsage(response.Usage);
            if (evaluator._budget is { } budget && response.Usage is { } usage)
            {
                budget.AddTokens(usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)));
            }

            return response;
        }
    }
}
