using System.Collections.Immutable;

namespace PromptKit;

/// <summary>What an <see cref="IEnvironment"/> returns after a reset or a step.</summary>
public sealed class EnvironmentStep
{
    /// <summary>Initializes a new instance of the <see cref="EnvironmentStep"/> class.</summary>
    /// <param name="observation">The observation after the step.</param>
    /// <param name="reward">The reward for the step; must be finite.</param>
    /// <param name="isTerminal">Whether the episode ended in a terminal state (no bootstrapping from it).</param>
    /// <param name="isTruncated">Whether the episode was cut off by a step limit (the state is not terminal: learners may bootstrap).</param>
    /// <exception cref="ArgumentException"><paramref name="observation"/> is empty or holds NaN or infinity, or <paramref name="reward"/> is not finite.</exception>
    public EnvironmentStep(ImmutableArray<float> observation, double reward = 0, bool isTerminal = false, bool isTruncated = false)
    {
        if (observation.IsDefaultOrEmpty)
        {
            throw new ArgumentException("The observation is empty.", nameof(observation));
        }

        for (int i = 0; i < observation.Length; i++)
        {
            if (!float.IsFinite(observation[i]))
            {
                throw new ArgumentException($"Observation value at index {i} is {observation[i]}; observations must be finite.", nameof(observation));
            }
        }

        if (!double.IsFinite(reward))
        {
            throw new ArgumentException($"Reward {reward} is not a finite number.", nameof(reward));
        }

        Observation = observation;
        Reward = reward;
        IsTerminal = isTerminal;
        IsTruncated = isTruncated;
    }

    /// <summary>Gets the observation after the step.</summary>
    public ImmutableArray<float> Observation { get; }

    /// <summary>Gets the reward for the step.</summary>
    public double Reward { get; }

    /// <summary>Gets a value indicating whether the episode ended in a terminal state.</summary>
    public bool IsTerminal { get; }

    /// <summary>Gets a value indicating whether the episode was cut off by a step limit.</summary>
    public bool IsTruncated { get; }

    /// <summary>Gets a value indicating whether the episode is over, terminal or truncated.</summary>
    public bool IsDone => IsTerminal || IsTruncated;
}
