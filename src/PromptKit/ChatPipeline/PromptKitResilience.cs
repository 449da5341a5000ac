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
                SamplingDuration = options.CircuitBreakerWindow,
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
    /// exception but a cancellation the caller asked for and a spent budget.</summary>
    private static bool IsModelFault(Exception? exception, CancellationToken cancellationToken) =>
        exception is not (null or CallBudgetExceededException or BrokenCircuitException) && !cancellationToken.IsCancellationRequested;

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
