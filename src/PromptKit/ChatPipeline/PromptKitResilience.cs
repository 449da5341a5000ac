using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PromptKit;

/// <summary>Builds PromptKit's retry and timeout pipeline for frozen-model calls from <see cref="PromptEvaluatorOptions"/>.</summary>
internal static class PromptKitResilience
{
    /// <summary>Creates the pipeline: retries with exponential backoff and jitter on transient faults, around a per-attempt timeout.</summary>
    /// <param name="options">The validated options (<see cref="PromptEvaluatorOptions.MaxRetryAttempts"/>, delays, <see cref="PromptEvaluatorOptions.Timeout"/>, <see cref="PromptEvaluatorOptions.IsTransient"/>).</param>
    /// <param name="timeProvider">The time source of timeouts and delays.</param>
    /// <param name="onRetry">Called before each retry with the fault and the attempt number that follows, or <see langword="null"/>.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline Create(PromptEvaluatorOptions options, TimeProvider timeProvider, Action<Exception?, int, TimeSpan>? onRetry = null)
    {
        Func<Exception, bool>? isTransient = options.IsTransient;
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
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout });
        return builder.Build();
    }

    /// <summary>Tells whether a fault is worth another attempt; a cancellation the caller requested never is.</summary>
    private static bool IsTransientFault(Exception? exception, Func<Exception, bool>? isTransient, CancellationToken cancellationToken)
    {
        if (exception is null or CallBudgetExceededException || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            HttpRequestException or IOException or TimeoutRejectedException => true,

            // Not caused by the caller (checked above): e.g. HttpClient.Timeout surfaces as TaskCanceledException.
            OperationCanceledException => true,
            _ => isTransient?.Invoke(exception) ?? false,
        };
    }
}
