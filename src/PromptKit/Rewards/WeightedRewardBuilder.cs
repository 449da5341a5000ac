using System.Collections.Immutable;
using System.Globalization;

namespace PromptKit;

/// <summary>Builds a reward that is the weighted sum of other rewards, e.g. 0.5·BLEU + 0.5·ROUGE-L.</summary>
/// <typeparam name="TTarget">The target type the rewards share.</typeparam>
/// <remarks>The builder is not thread-safe; the reward it builds is. Weights are used as given (not normalized).</remarks>
public sealed class WeightedRewardBuilder<TTarget>
{
    private readonly List<(IReward<TTarget> Reward, double Weight)> _parts = [];

    /// <summary>Adds a reward with a weight to the builder.</summary>
    /// <param name="reward">The reward.</param>
    /// <param name="weight">Its weight; finite and not zero (negative weights penalize).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reward"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is zero, NaN or infinite.</exception>
    public WeightedRewardBuilder<TTarget> Add(IReward<TTarget> reward, double weight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(reward);
        if (!double.IsFinite(weight) || weight == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A weight must be a finite, non-zero number.");
        }

        _parts.Add((reward, weight));
        return this;
    }

    /// <summary>Builds the weighted reward.</summary>
    /// <returns>An immutable, thread-safe reward.</returns>
    /// <exception cref="InvalidOperationException">No reward was added.</exception>
    public IReward<TTarget> Build()
    {
        if (_parts.Count == 0)
        {
            throw new InvalidOperationException($"{nameof(WeightedRewardBuilder<TTarget>)} has no rewards. Call {nameof(Add)} before {nameof(Build)}.");
        }

        return new WeightedReward([.. _parts]);
    }

    private sealed class WeightedReward : IReward<TTarget>
    {
        private readonly ImmutableArray<(IReward<TTarget> Reward, double Weight)> _parts;

        public WeightedReward(ImmutableArray<(IReward<TTarget> Reward, double Weight)> parts)
        {
            _parts = parts;
            Name = string.Join("+", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Weight:0.###}*{p.Reward.Name}")));
        }

        public string Name { get; }

        public double Compute(string output, TTarget target)
        {
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(target);
            double sum = 0;
            foreach ((IReward<TTarget> reward, double weight) in _parts)
            {
                double value = reward.Compute(output, target);
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException($"Reward '{reward.Name}' returned {value}; rewards must be finite.");
                }

                sum += weight * value;
            }

            return sum;
        }
    }
}
