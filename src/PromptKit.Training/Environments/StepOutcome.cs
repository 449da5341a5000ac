namespace PromptKit.Training;

/// <summary>Whether a step of a <see cref="PromptScoringEnvironment{TTarget}"/> ended the episode.</summary>
/// <param name="IsTerminal">The episode reached a terminal state.</param>
/// <param name="IsTruncated">The episode hit a step limit (learners bootstrap from the state).</param>
public readonly record struct StepOutcome(bool IsTerminal = false, bool IsTruncated = false)
{
    /// <summary>Gets the outcome of a step after which the episode goes on.</summary>
    public static StepOutcome Continue => default;
}
