namespace PromptKit.Training;

/// <summary>Generalized advantage estimation (Schulman et al., 2016) over a rollout laid out step-major,
/// <c>[steps, environments]</c>, as CleanRL and Stable-Baselines3 compute it.</summary>
public static class AdvantageEstimation
{
    /// <summary>Computes GAE(λ) advantages and the value targets (advantage + value).</summary>
    /// <param name="rewards">The reward of each step, <c>[steps × environments]</c>; a truncated step's reward should
    /// already include γ·V(next state).</param>
    /// <param name="values">The critic's value of each step's state, same layout.</param>
    /// <param name="episodeEnds">1 where the episode ended after the step (terminal, truncated or dropped), else 0.</param>
    /// <param name="lastValues">The critic's value of each environment's state after the last step, <c>[environments]</c>.</param>
    /// <param name="gamma">The discount γ in [0, 1].</param>
    /// <param name="lambda">The GAE λ in [0, 1]: 0 gives the one-step TD error r + γV(s') − V(s), 1 the Monte Carlo return minus V(s).</param>
    /// <param name="advantages">Receives the advantages, same layout as <paramref name="rewards"/>.</param>
    /// <param name="returns">Receives the value targets, same layout.</param>
    /// <exception cref="ArgumentException">The spans' lengths do not agree, <paramref name="lastValues"/> is empty, or a value is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> or <paramref name="lambda"/> is outside [0, 1].</exception>
    public static void ComputeGae(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<float> episodeEnds,
        ReadOnlySpan<float> lastValues,
        double gamma,
        double lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        if (!(gamma >= 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The discount must be between 0 and 1.");
        }

        if (!(lambda >= 0 && lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The GAE lambda must be between 0 and 1.");
        }

        int environments = lastValues.Length;
        if (environments == 0)
        {
            throw new ArgumentException("At least one environment's last value is required.", nameof(lastValues));
        }

        int length = rewards.Length;
        if (length % environments != 0)
        {
            throw new ArgumentException($"The rewards' length {length} is not a multiple of the environment count {environments}.", nameof(rewards));
        }

        RequireLength(values, length, nameof(values));
        RequireLength(episodeEnds, length, nameof(episodeEnds));
        RequireLength(advantages, length, nameof(advantages));
        RequireLength(returns, length, nameof(returns));
        RequireFinite(rewards, nameof(rewards));
        RequireFinite(values, nameof(values));
        RequireFinite(lastValues, nameof(lastValues));

        int steps = length / environments;
        for (int e = 0; e < environments; e++)
        {
            double next = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = (t * environments) + e;
                double notDone = 1.0 - episodeEnds[i];
                double nextValue = t == steps - 1 ? lastValues[e] : values[i + environments];
                double delta = rewards[i] + (gamma * nextValue * notDone) - values[i];
                next = delta + (gamma * lambda * notDone * next);
                advantages[i] = (float)next;
                returns[i] = (float)(next + values[i]);
            }
        }
    }

    /// <summary>Subtracts from each advantage the weighted mean advantage of its own episode (within the rollout), so
    /// that what the episode's start state decides for every step (in RPP, how easy the user is) no longer moves the
    /// policy: only how a step compares with the other steps of the same episode does.</summary>
    /// <param name="advantages">The advantages, <c>[steps × environments]</c>, centred in place.</param>
    /// <param name="episodeEnds">1 where the episode ended after the step, else 0; same layout.</param>
    /// <param name="weights">Each slot's weight (0 for a slot dropped after a fault, which is left unchanged); same layout.</param>
    /// <param name="environments">The number of environments.</param>
    /// <remarks>An episode cut by the rollout's edge is centred over the part the rollout holds. An episode of one
    /// weighted step gets advantage 0. Allocates nothing.</remarks>
    /// <exception cref="ArgumentException">The spans' lengths do not agree or are not a multiple of <paramref name="environments"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="environments"/> is not positive.</exception>
    public static void CenterPerEpisode(Span<float> advantages, ReadOnlySpan<float> episodeEnds, ReadOnlySpan<float> weights, int environments)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(environments);
        int length = advantages.Length;
        if (length % environments != 0)
        {
            throw new ArgumentException($"The advantages' length {length} is not a multiple of the environment count {environments}.", nameof(advantages));
        }

        RequireLength(episodeEnds, length, nameof(episodeEnds));
        RequireLength(weights, length, nameof(weights));
        int steps = length / environments;
        for (int e = 0; e < environments; e++)
        {
            int start = 0;
            for (int t = 0; t < steps; t++)
            {
                int i = (t * environments) + e;
                if (episodeEnds[i] > 0 || t == steps - 1)
                {
                    double sum = 0;
                    double weightSum = 0;
                    for (int u = start; u <= t; u++)
                    {
                        int j = (u * environments) + e;
                        sum += weights[j] * advantages[j];
                        weightSum += weights[j];
                    }

                    if (weightSum > 0)
                    {
                        float mean = (float)(sum / weightSum);
                        for (int u = start; u <= t; u++)
                        {
                            int j = (u * environments) + e;
                            if (weights[j] > 0)
                            {
                                advantages[j] -= mean;
                            }
                        }
                    }

                    start = t + 1;
                }
            }
        }
    }

    private static void RequireLength<T>(ReadOnlySpan<T> span, int length, string name)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"The span has length {span.Length}; expected {length} (steps × environments).", name);
        }
    }

    private static void RequireFinite(ReadOnlySpan<float> span, string name)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (!float.IsFinite(span[i]))
            {
                throw new ArgumentException($"Value at index {i} is {span[i]}; it must be finite.", name);
            }
        }
    }
}
