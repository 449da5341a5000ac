namespace PromptKit;

/// <summary>The exception thrown for a request refused because too many model calls failed recently: the evaluator's
/// circuit breaker is open (see <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/>).</summary>
/// <remarks>
/// <para>
/// It is an <see cref="OperationCanceledException"/>, like <see cref="CallBudgetExceededException"/>: code that stops
/// cleanly on cancellation (the trainers write their checkpoint) stops cleanly on it too, instead of scoring prompts
/// against a model that does not answer. The evaluator never retries it and never reports it as a failed evaluation.
/// </para>
/// <para>The message says how many calls failed in which window, and <see cref="Exception.InnerException"/> is the last failure seen.</para>
/// </remarks>
public sealed class ModelUnavailableException : OperationCanceledException
{
    /// <summary>Initializes a new instance of the <see cref="ModelUnavailableException"/> class.</summary>
    public ModelUnavailableException()
        : base("The frozen model is unavailable: too many calls failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelUnavailableException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelUnavailableException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelUnavailableException"/> class with a message and the last failure.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The last model-call failure before the circuit opened.</param>
    public ModelUnavailableException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
