using Microsoft.Extensions.Logging;

namespace PromptKit;

public sealed partial class PromptEvaluator
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Model call attempt {Attempt} failed with a transient fault; retrying in {RetryDelay}.")]
        public static partial void Retrying(ILogger logger, Exception? exception, int attempt, TimeSpan retryDelay);

        [LoggerMessage(2, LogLevel.Error, "Model request failed after {Attempts} attempt(s).")]
        public static partial void Failed(ILogger logger, Exception exception, int attempts);

        [LoggerMessage(3, LogLevel.Error, "Model request timed out after {Attempts} attempt(s) of at most {Timeout} each.")]
        public static partial void TimedOut(ILogger logger, Exception exception, int attempts, TimeSpan timeout);

        [LoggerMessage(4, LogLevel.Warning, "Model response recorded as {Status} after {Attempts} attempt(s).")]
        public static partial void ResponseRejected(ILogger logger, Exception? exception, EvaluationStatus status, int attempts);

        [LoggerMessage(5, LogLevel.Warning, "Reading response cache key {CacheKey} failed; calling the model instead.")]
        public static partial void CacheReadFailed(ILogger logger, Exception exception, string cacheKey);

        [LoggerMessage(6, LogLevel.Warning, "Writing response cache key {CacheKey} failed; the response is returned but not cached.")]
        public static partial void CacheWriteFailed(ILogger logger, Exception exception, string cacheKey);
    }
}
