namespace PromptKit.Training;

/// <summary>An <see cref="IEnvironment"/> in which some actions are not allowed in some states; trainers sample only
/// allowed actions and compute log-probabilities and entropies over the allowed ones.</summary>
public interface IMaskedEnvironment : IEnvironment
{
    /// <summary>Writes which of an agent's actions are allowed in the current state (the one of the last observation).</summary>
    /// <param name="agent">The agent index.</param>
    /// <param name="mask">One flag per action of that agent; at least one must be <see langword="true"/>.</param>
    void GetActionMask(int agent, Span<bool> mask);
}
