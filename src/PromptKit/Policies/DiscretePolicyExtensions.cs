using System.Buffers;

namespace PromptKit;

/// <summary>Chooses actions with any <see cref="IDiscretePolicy"/>.</summary>
public static class DiscretePolicyExtensions
{
    private const int StackLimit = 256;

    /// <summary>Chooses an action for an observation.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="observation">The observation; its length must be the policy's <see cref="IDiscretePolicy.ObservationSize"/>.</param>
    /// <param name="selection">Whether to sample or take the most probable action.</param>
    /// <param name="random">The random source; required for <see cref="ActionSelection.Sample"/>, ignored for <see cref="ActionSelection.Greedy"/>.</param>
    /// <param name="mask">The allowed actions, or empty for all; when not empty, one entry per action.</param>
    /// <returns>The chosen action and its log-probability.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>, or <paramref name="random"/> is <see langword="null"/> when sampling.</exception>
    /// <exception cref="ArgumentException">The observation or mask has the wrong length, the mask allows no action, or the policy wrote a non-finite logit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="selection"/> is not a defined value.</exception>
    public static PolicyDecision SelectAction(this IDiscretePolicy policy, ReadOnlySpan<float> observation, ActionSelection selection, Random? random = null, ReadOnlySpan<bool> mask = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (selection == ActionSelection.Sample)
        {
            ArgumentNullException.ThrowIfNull(random);
        }
        else if (selection != ActionSelection.Greedy)
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection, $"Selection {(int)selection} is not a defined {nameof(ActionSelection)} value.");
        }

        if (observation.Length != policy.ObservationSize)
        {
            throw new ArgumentException($"Observation length {observation.Length} does not match the policy's observation size {policy.ObservationSize}.", nameof(observation));
        }

        int count = policy.ActionCount;
        float[]? rented = null;
        Span<float> logits = count <= StackLimit ? stackalloc float[count] : (rented = ArrayPool<float>.Shared.Rent(count)).AsSpan(0, count);
        try
        {
            policy.ComputeLogits(observation, logits);
            int action = selection == ActionSelection.Greedy ? PolicyMath.ArgMax(logits, mask) : PolicyMath.Sample(logits, random!, mask);
            return new PolicyDecision(action, PolicyMath.LogProbability(logits, action, mask));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes the action probabilities for an observation.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="observation">The observation.</param>
    /// <param name="destination">The span to write one probability per action into.</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, the mask allows no action, or the policy wrote a non-finite logit.</exception>
    public static void GetProbabilities(this IDiscretePolicy policy, ReadOnlySpan<float> observation, Span<float> destination, ReadOnlySpan<bool> mask = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (destination.Length != policy.ActionCount)
        {
            throw new ArgumentException($"Destination length {destination.Length} does not match the policy's action count {policy.ActionCount}.", nameof(destination));
        }

        policy.ComputeLogits(observation, destination);
        PolicyMath.Softmax(destination, destination, mask);
    }
}
