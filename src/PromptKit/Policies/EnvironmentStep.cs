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

    private EnvironmentStep(ImmutableArray<float> observation, string faultReason)
        : this(observation)
    {
        FaultReason = faultReason;
    }

    /// <summary>Creates a step that reports a fault: the reward could not be computed (for example the frozen model's
    /// call failed, timed out, was filtered or gave an answer the reward rejects), so the actions were not applied.</summary>
    /// <param name="observation">The observation of the unchanged state (the one the actions were taken in).</param>
    /// <param name="reason">What went wrong, for logs and counters.</param>
    /// <returns>A step with <see cref="IsFaulted"/> set, reward 0, not done.</returns>
    /// <remarks>An environment that returns a faulted step must leave its state as it was before the step, so that a
    /// learner can retry the same actions, end the episode there, or record the step with a zero reward; trainers must
    /// never treat the reward of a faulted step as a real outcome.</remarks>
    /// <exception cref="ArgumentException"><paramref name="observation"/> is empty or holds NaN or infinity, or
    /// <paramref name="reason"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    public static EnvironmentStep Faulted(ImmutableArray<float> observation, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new EnvironmentStep(observation, reason);
    }

    /// <summary>Gets a value indicating whether the step failed to produce a reward (see <see cref="Faulted"/>).</summary>
    public bool IsFaulted => FaultReason is not null;

    /// <summary>Gets why the step faulted, or <see langword="null"/> when it did not.</summary>
    public string? FaultReason { get; }

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
