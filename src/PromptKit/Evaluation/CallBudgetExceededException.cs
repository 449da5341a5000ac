namespace PromptKit;

/// <summary>The exception thrown for a request that needed a model call after its <see cref="CallBudget"/> was spent.</summary>
/// <remarks>
/// It is an <see cref="OperationCanceledException"/> whose <see cref="OperationCanceledException.CancellationToken"/> is
/// <see cref="CallBudget.Token"/>: code that stops on cancellation stops on it too. The evaluator never retries it and
/// never reports it as a failed evaluation.
/// </remarks>
public sealed class CallBudgetExceededException : OperationCanceledException
{
    /// <summary>Initializes a new instance of the <see cref="CallBudgetExceededException"/> class.</summary>
    public CallBudgetExceededException()
        : base("The call budget is spent.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallBudgetExceededException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public CallBudgetExceededException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallBudgetExceededException"/> class with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public CallBudgetExceededException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallBudgetExceededException"/> class for a spent budget.</summary>
    /// <param name="budget">The spent budget.</param>
    /// <exception cref="ArgumentNullException"><paramref name="budget"/> is <see langword="null"/>.</exception>
    public CallBudgetExceededException(CallBudget budget)
        : base(
            $"No model call was made: {(budget ?? throw new ArgumentNullException(nameof(budget))).SpentReason ?? "the call budget is spent"}. Raise the budget (or rerun: cached responses cost nothing) to continue.",
            budget.Token)
    {
        Budget = budget;
    }

    /// <summary>Gets the spent budget, or <see langword="null"/> when the exception was created without one.</summary>
    public CallBudget? Budget { get; }
}
