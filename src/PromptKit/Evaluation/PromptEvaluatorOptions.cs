using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace PromptKit;

/// <summary>Options for <see cref="PromptEvaluator"/>: concurrency bound, per-call timeout, retries, cache and response validation.</summary>
/// <remarks>
/// The evaluator validates the options once, in its constructor, and copies them: later changes to this instance do
/// not affect an evaluator that already exists.
/// </remarks>
public sealed class PromptEvaluatorOptions
{
    /// <summary>Gets or sets the largest number of model calls one evaluator runs at the same time, over all its callers.</summary>
    /// <value>The default value is 4. It must be between 1 and 1024.</value>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets the time limit of each model call (each attempt has its own limit).</summary>
    /// <value>The default value is 60 seconds. It must be between 10 milliseconds and 24 hours (the range Polly's timeout strategy accepts).</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how many times a call that failed with a transient fault is retried.</summary>
    /// <value>The default value is 3. It must be between 0 (no retry) and 20.</value>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the median delay before the first retry; later retries back off exponentially, with jitter.</summary>
    /// <value>The default value is 1 second. It must be between zero and 24 hours.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 30 seconds. It must be between zero and 24 hours and not less than <see cref="RetryBaseDelay"/>.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the share of failed model calls (attempts, retries included) within <see cref="CircuitBreakerWindow"/> at which the evaluator stops calling the model.</summary>
    /// <value>The default value is 0.5. It must be between 0.01 and 1, or <see langword="null"/> to never stop.</value>
    /// <remarks>
    /// A Polly circuit breaker between the retries and the per-call timeout counts every attempt that throws or runs out
    /// of time. Once at least <see cref="CircuitBreakerMinimumCalls"/> attempts were made in the window and at least this
    /// share of them failed, the circuit opens: every request that needs the model, and every retry in flight, throws
    /// <see cref="ModelUnavailableException"/> instead of calling it, for one window; then one trial call decides whether
    /// it closes again. A trainer stops on that exception as on a cancellation (checkpoint written). Responses that
    /// arrive but are empty or rejected do not count: only calls that threw or timed out.
    /// <para>
    /// Not every throw is an outage: throttling (HTTP 429) and client errors about the request itself (4xx other than
    /// 401, 403, 404 and 408, e.g. 400, 413, 422) are still retried or reported as before but do not count as failures,
    /// so a healthy server that refuses some requests never stops a run. Like a call the caller cancelled and a call the
    /// <see cref="Budget"/> refused, they count as successes in the share (Polly v8 treats every outcome it does not
    /// handle as a success): many of them dilute the share of real failures.
    /// </para>
    /// </remarks>
    [Range(0.01, 1.0)]
    public double? CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the window over which <see cref="CircuitBreakerFailureRatio"/> is measured, and how long the circuit stays open.</summary>
    /// <value>The default value is 30 seconds. It must be between 0.5 seconds and 24 hours (the range Polly's circuit breaker accepts).</value>
    /// <remarks>
    /// The share is measured over a longer window when this one could not hold <see cref="CircuitBreakerMinimumCalls"/>
    /// attempts against a model that never answers: over max(<see cref="CircuitBreakerWindow"/>, 2 × (<see cref="Timeout"/> +
    /// <see cref="MaxRetryDelay"/>) × ceil(<see cref="CircuitBreakerMinimumCalls"/> / <see cref="MaxConcurrency"/>)), at
    /// most 24 hours (<see cref="MaxRetryDelay"/> counts only when <see cref="MaxRetryAttempts"/> is above 0; the factor 2
    /// covers Polly's window, which forgets its oldest tenth at a time, and attempts that start late). With the defaults
    /// that is 2 × (60 s + 30 s) × 5 = 900 s, so a hanging model opens the circuit at its 20th timed-out attempt (about
    /// five 60 s timeouts per concurrent slot, plus the retry delays) instead of never. The circuit stays open for
    /// <see cref="CircuitBreakerWindow"/> itself, not for the longer window.
    /// </remarks>
    public TimeSpan CircuitBreakerWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the fewest attempts within <see cref="CircuitBreakerWindow"/> before the failure share is judged.</summary>
    /// <value>The default value is 20. It must be between 2 and 1,000,000.</value>
    [Range(2, 1_000_000)]
    public int CircuitBreakerMinimumCalls { get; set; } = 20;

    /// <summary>Gets or sets a value indicating whether identical requests are answered from a response cache (a <see cref="PromptResponseCachingChatClient"/> at the top of the evaluator's pipeline).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// Turn caching off to draw several samples for the same request at a temperature above zero: with caching on,
    /// an identical request always gets the first response.
    /// </remarks>
    public bool UseCache { get; set; } = true;

    /// <summary>Gets or sets the number of entries of the in-memory cache the evaluator creates when no <see cref="IDistributedCache"/> is given.</summary>
    /// <value>The default value is 100,000. It must be between 1 and <see cref="int.MaxValue"/>.</value>
    /// <remarks>When the cache is full, a new response is not stored and the least recently used entries are evicted in the background.</remarks>
    [Range(1, int.MaxValue)]
    public int MaxCacheEntries { get; set; } = 100_000;

    /// <summary>Gets or sets the expiration of cached responses.</summary>
    /// <value>The default value is <see langword="null"/>: responses are stored without expiration (the cache's own eviction applies).</value>
    public DistributedCacheEntryOptions? CacheEntryOptions { get; set; }

    /// <summary>Gets or sets a callback that adds middleware to the evaluator's chat pipeline, e.g. <c>b =&gt; b.UseOpenTelemetry().Use(rateLimiter)</c>.</summary>
    /// <value>The default value is <see langword="null"/> (no middleware).</value>
    /// <remarks>
    /// The callback runs once, in the evaluator's constructor. The middleware sits below the response cache and above the
    /// retries: it sees each request that misses the cache once, however many attempts it takes. To run middleware on
    /// every attempt, wrap the client passed to the evaluator with it instead.
    /// </remarks>
    public Action<ChatClientBuilder>? ConfigurePipeline { get; set; }

    /// <summary>Gets or sets the chat options used for a request that passes no options of its own.</summary>
    /// <value>The default value is <see langword="null"/>. Options passed with a request replace these as a whole; they are not merged.</value>
    public ChatOptions? DefaultChatOptions { get; set; }

    /// <summary>Gets or sets what identifies the model behind the chat client in cache keys.</summary>
    /// <value>The default value is <see langword="null"/>: the client's <see cref="ChatClientMetadata"/> (provider, endpoint, default model id), or its type name when it reports none.</value>
    /// <remarks>Requests that differ only in the client never share cached answers as long as their partitions differ. Set a distinct value for each model when clients report no metadata, above all with a cache shared through <see cref="IDistributedCache"/>.</remarks>
    public string? CachePartition { get; set; }

    /// <summary>Gets or sets a predicate that marks additional exceptions as transient, so that they are retried.</summary>
    /// <value>
    /// The default value is <see langword="null"/>. <see cref="HttpRequestException"/>, <see cref="IOException"/>,
    /// <see cref="Polly.Timeout.TimeoutRejectedException"/> and an <see cref="OperationCanceledException"/> that the caller's token did
    /// not cause are always transient; a cancellation requested by the caller is never retried.
    /// </value>
    public Func<Exception, bool>? IsTransient { get; set; }

    /// <summary>Gets or sets a function that reads how long the server asked to wait (its <c>Retry-After</c>) from a failed call's exception.</summary>
    /// <value>The default value is <see langword="null"/>: retries wait the exponential backoff. A function returns <see langword="null"/> for an exception without a hint.</value>
    /// <remarks>When it returns a delay for a fault that is retried, the retry waits that long instead of the backoff, at most <see cref="MaxRetryDelay"/>. Negative delays count as zero.</remarks>
    public Func<Exception, TimeSpan?>? RetryAfter { get; set; }

    /// <summary>Gets or sets the hard budget of model calls (and tokens) that this evaluator spends from; share one instance between evaluators to give a whole run one budget.</summary>
    /// <value>The default value is <see langword="null"/> (no limit). The instance is shared, not copied.</value>
    /// <remarks>Each call that reaches the model (below the cache, each retry included) takes one call from the budget; once it is spent, a request that needs the model throws <see cref="CallBudgetExceededException"/> instead of calling it. See <see cref="CallBudget"/>.</remarks>
    public CallBudget? Budget { get; set; }

    /// <summary>Gets or sets a validator that returns <see langword="false"/> for a response that must be recorded as <see cref="EvaluationStatus.Malformed"/>.</summary>
    /// <value>The default value is <see langword="null"/> (every non-empty response is accepted). It must be thread-safe; it runs on each response from the model (also to decide whether to cache it) and on responses answered from the cache.</value>
    public Func<ChatResponse, bool>? ResponseValidator { get; set; }
}
