using System.Collections.Immutable;

namespace PromptKit;

/// <summary>One step of experience: what was observed, what the agents did, and what followed.</summary>
/// <remarks>Immutable; a <see cref="Trajectory"/> is a sequence of these.</remarks>
public sealed class Transition
{
    /// <summary>Initializes a new instance of the <see cref="Transition"/> class.</summary>
    /// <param name="observation">The observation the actions were chosen from.</param>
    /// <param name="actions">One action per agent.</param>
    /// <param name="logProbabilities">The behaviour policy's log-probability of each action, one per agent (for importance ratios).</param>
    /// <param name="reward">The reward received; must be finite.</param>
    /// <param name="nextObservation">The observation after the step.</param>
    /// <param name="isTerminal">Whether the next state is terminal.</param>
    /// <param name="isTruncated">Whether the episode was cut off after this step.</param>
    /// <exception cref="ArgumentException">An array is empty, the action and log-probability counts differ, or a value is NaN or infinity (log-probabilities may be negative infinity only for masked actions, which cannot be chosen, so they are rejected too).</exception>
    public Transition(ImmutableArray<float> observation, ImmutableArray<int> actions, ImmutableArray<float> logProbabilities, double reward, ImmutableArray<float> nextObservation, bool isTerminal, bool isTruncated = false)
    {
        RequireFinite(observation, nameof(observation));
        RequireFinite(nextObservation, nameof(nextObservation));
        if (actions.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one action is required.", nameof(actions));
        }

        if (logProbabilities.IsDefault || logProbabilities.Length != actions.Length)
        {
            throw new ArgumentException(
                $"Log-probability count {(logProbabilities.IsDefault ? 0 : logProbabilities.Length)} does not match action count {actions.Length}.",
                nameof(logProbabilities));
        }

        RequireFinite(logProbabilities, nameof(logProbabilities));
        for (int i = 0; i < actions.Length; i++)
        {
            if (actions[i] < 0)
            {
                throw new ArgumentException($"Action at index {i} is {actions[i]}; actions are non-negative indices.", nameof(actions));
            }
        }

        if (!double.IsFinite(reward))
        {
            throw new ArgumentException($"Reward {reward} is not a finite number.", nameof(reward));
        }

        Observation = observation;
        Actions = actions;
        LogProbabilities = logProbabilities;
        Reward = reward;
        NextObservation = nextObservation;
        IsTerminal = isTerminal;
        IsTruncated = isTruncated;
    }

    /// <summary>Gets the observation the actions were chosen from.</summary>
    public ImmutableArray<float> Observation { get; }

    /// <summary>Gets the action of each agent.</summary>
    public ImmutableArray<int> Actions { get; }

    /// <summary>Gets the behaviour policy's log-probability of each action.</summary>
    public ImmutableArray<float> LogProbabilities { get; }

    /// <summary>Gets the reward received.</summary>
    public double Reward { get; }

    /// <summary>Gets the observation after the step.</summary>
    public ImmutableArray<float> NextObservation { get; }

    /// <summary>Gets a value indicating whether the next state is terminal.</summary>
    public bool IsTerminal { get; }

    /// <summary>Gets a value indicating whether the episode was cut off after this step.</summary>
    public bool IsTruncated { get; }

    private static void RequireFinite(ImmutableArray<float> values, string paramName)
    {
        if (values.IsDefaultOrEmpty)
        {
            throw new ArgumentException("The array is empty.", paramName);
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value at index {i} is {values[i]}; it must be finite.", paramName);
            }
        }
    }
}
