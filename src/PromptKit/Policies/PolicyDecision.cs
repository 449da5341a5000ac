namespace PromptKit;

/// <summary>The action a policy chose, with the probability it gave that action.</summary>
/// <param name="Action">The zero-based index of the chosen action.</param>
/// <param name="LogProbability">The natural logarithm of the chosen action's probability.</param>
public readonly record struct PolicyDecision(int Action, float LogProbability)
{
    /// <summary>Gets the probability of the chosen action.</summary>
    public float Probability => MathF.Exp(LogProbability);
}
