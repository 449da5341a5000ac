using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PromptKit;

/// <summary>Builds PromptKit's retry, circuit-breaker and timeout pipeline for frozen-model calls from <see cref="PromptEvaluatorOptions"/>.</summary>
internal static class PromptKitResilience
{
    /// <summary>Creates the pipeline, outermost first: retries with exponential backoff and jitter on transient faults, a
    /// circuit breaker over every attempt (when <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/> is set), and a per-attempt timeout.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="timeProvider">The time source of timeouts, delays and the breaker's window.</param>
    /// <param name="onRetry">Called before each retry with the fault and the attempt number that follows, or <see langword="null"/>.</param>
    /// <param name="onTimeout">Called when an attempt runs out of time, or <see langword="null"/>.</param>
    /// <param name="onBreak">Called when the circuit opens, with the fault that opened it, or <see langword="null"/>.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline Create(
        PromptEvaluatorOptions options,
        TimeProvider timeProvider,
        Action<Exception?, int, TimeSpan>? onRetry = null,
        Action? onTimeout = null,
        Action<Exception?>? onBreak = null)
    {
        Func<Exception, bool>? isTransient = options.IsTransient;
        Func<Exception, TimeSpan?>? retryAfter = options.RetryAfter;
        TimeSpan maxDelay = options.MaxRetryDelay;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(IsTransientFault(args.Outcome.Exception, isTransient, args.Context.CancellationToken)),
                DelayGenerator = retryAfter is null
                    ? null
                    : args => new ValueTask<TimeSpan?>(ServerDelay(args.Outcome.Exception, retryAfter, maxDelay)),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        if (options.CircuitBreakerFailureRatio is double ratio)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = ratio,
                MinimumThroughput = options.CircuitBreakerMinimumCalls,
                SamplingDuration = SamplingDuration(options),
                BreakDuration = options.CircuitBreakerWindow,
                ShouldHandle = args => new ValueTask<bool>(IsModelFault(args.Outcome.Exception, args.Context.CancellationToken)),
                OnOpened = args =>
                {
                    onBreak?.Invoke(args.Outcome.Exception);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = options.Timeout,
            OnTimeout = _ =>
            {
                onTimeout?.Invoke();
                return default;
            },
        });
        return builder.Build();
    }

    /// <summary>The window over which the breaker judges the failure share: <see cref="PromptEvaluatorOptions.CircuitBreakerWindow"/>,
    /// or longer when that window cannot hold <see cref="PromptEvaluatorOptions.CircuitBreakerMinimumCalls"/> attempts that
    /// each run out of time: at most <see cref="PromptEvaluatorOptions.MaxConcurrency"/> attempts are in flight, and each
    /// takes up to <see cref="PromptEvaluatorOptions.Timeout"/> plus a retry delay of up to <see cref="PromptEvaluatorOptions.MaxRetryDelay"/>.
    /// The factor 2 covers Polly's window, which drops its samples a tenth at a time (it can hold only nine tenths of its
    /// duration), and attempts that start late.</summary>
    /// <param name="options">The validated options.</param>
    /// <returns>max(window, 2 × (timeout + max retry delay) × ceil(minimum calls / max concurrency)), at most one day (Polly's limit).</returns>
    internal static TimeSpan SamplingDuration(PromptEvaluatorOptions options)
    {
        long rounds = 2 * (((long)options.CircuitBreakerMinimumCalls + options.MaxConcurrency - 1) / options.MaxConcurrency);
        TimeSpan perRound = options.Timeout + (options.MaxRetryAttempts > 0 ? options.MaxRetryDelay : TimeSpan.Zero);
        TimeSpan longest = TimeSpan.FromDays(1);
        TimeSpan needed = perRound.Ticks > longest.Ticks / rounds ? longest : TimeSpan.FromTicks(perRound.Ticks * rounds);
        return needed > options.CircuitBreakerWindow ? needed : options.CircuitBreakerWindow;
    }

    /// <summary>The HTTP status of a failed call: from the first <see cref="HttpRequestException"/> in the exception or its inner exceptions, or 0.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The status code, or 0 when no HTTP status is known.</returns>
    internal static int StatusCodeOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: HttpStatusCode status })
            {
                return (int)status;
            }
        }

        return 0;
    }

    /// <summary>The delay the server asked for, clamped to [0, <paramref name="maxDelay"/>], or <see langword="null"/> for the backoff.</summary>
    private static TimeSpan? ServerDelay(Exception? exception, Func<Exception, TimeSpan?> retryAfter, TimeSpan maxDelay)
    {
        if (exception is null || retryAfter(exception) is not TimeSpan delay)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > maxDelay ? maxDelay : delay;
    }

    /// <summary>Tells whether an HTTP status is worth another attempt: 408, 429 and 5xx are; other 4xx (a bad request,
    /// a wrong key, an unknown model) fail the same way every time.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns><see langword="true"/> for a transient status.</returns>
    internal static bool IsTransientStatus(HttpStatusCode statusCode) =>
        statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)statusCode >= 500;

    /// <summary>Tells whether an attempt's outcome is a failure of the model call (counted by the circuit breaker): any
    /// exception but a cancellation the caller asked for, a spent budget, throttling (429) and a client error about the
    /// request itself (4xx other than 401, 403, 404 and 408): a healthy server answers those, so they are no outage.</summary>
    /// <remarks>Polly counts an outcome this returns <see langword="false"/> for as a success in the failure share.</remarks>
    internal static bool IsModelFault(Exception? exception, CancellationToken cancellationToken)
    {
        if (exception is null or CallBudgetExceededException or BrokenCircuitException || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        int status = StatusCodeOf(exception);
        return status is < 400 or >= 500 or 401 or 403 or 404 or 408;
    }

    /// <summary>Tells whether a fault is worth another attempt; a cancellation the caller requested never is.</summary>
    private static bool IsTransientFault(Exception? exception, Func<Exception, bool>? isTransient, CancellationToken cancellationToken)
    {
        if (exception is null or CallBudgetExceededException or BrokenCircuitException || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            // An answer with a status: only 408, 429 and 5xx can end differently on another attempt.
            HttpRequestException { StatusCode: HttpStatusCode status } when !IsTransientStatus(status) => isTransient?.Invoke(exception) ?? false,
            HttpRequestException or IOException or TimeoutRejectedException => true,

            // Not caused by the caller (checked above): e.g. HttpClient.Timeout surfaces as TaskCanceledException.
            OperationCanceledException => true,
            _ => isTransient?.Invoke(exception) ?? false,
        };
    }
}
