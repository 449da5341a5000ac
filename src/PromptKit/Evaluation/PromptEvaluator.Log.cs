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

        [LoggerMessage(5, LogLevel.Error, "The circuit breaker opened: {FailureRatio} or more of the model calls in {Window} failed; requests are refused until it closes.")]
        public static partial void CircuitOpened(ILogger logger, Exception? exception, double failureRatio, TimeSpan window);
    }
}
