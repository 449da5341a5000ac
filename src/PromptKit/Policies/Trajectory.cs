using System.Collections.Immutable;

namespace PromptKit;

/// <summary>An immutable sequence of <see cref="Transition"/>s from one episode.</summary>
public sealed class Trajectory
{
    /// <summary>Initializes a new instance of the <see cref="Trajectory"/> class.</summary>
    /// <param name="transitions">The transitions, in time order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transitions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A transition is <see langword="null"/>, or a transition other than the last ends the episode.</exception>
    public Trajectory(IEnumerable<Transition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ImmutableArray<Transition> list = [.. transitions];
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Transition at index {i} is null.", nameof(transitions));
            }

            if (i < list.Length - 1 && (list[i].IsTerminal || list[i].IsTruncated))
            {
                throw new ArgumentException($"Transition at index {i} ends the episode but is not the last one.", nameof(transitions));
            }
        }

        Transitions = list;
    }

    /// <summary>Gets the transitions, in time order.</summary>
    public ImmutableArray<Transition> Transitions { get; }

    /// <summary>Gets the number of steps.</summary>
    public int Length => Transitions.Length;

    /// <summary>Gets the sum of the rewards.</summary>
    public double TotalReward
    {
        get
        {
            double sum = 0;
            foreach (Transition t in Transitions)
            {
                sum += t.Reward;
            }

            return sum;
        }
    }

    /// <summary>Writes the discounted return G_t = r_t + γ·G_{t+1} of every step into <paramref name="destination"/>, with G after the last step = <paramref name="bootstrapValue"/> (use 0 for a terminal end).</summary>
    /// <param name="gamma">The discount factor, in [0, 1].</param>
    /// <param name="destination">The span to write to; its length must be <see cref="Length"/>.</param>
    /// <param name="bootstrapValue">The value estimate of the state after the last step, used when the episode was truncated rather than terminal.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length or <paramref name="bootstrapValue"/> is not finite.</exception>
    public void ComputeReturns(double gamma, Span<double> destination, double bootstrapValue = 0)
    {
        if (!(gamma >= 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The discount factor must be in [0, 1].");
        }

        if (destination.Length != Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} does not match trajectory length {Length}.", nameof(destination));
        }

        if (!double.IsFinite(bootstrapValue))
        {
            throw new ArgumentException($"Bootstrap value {bootstrapValue} is not finite.", nameof(bootstrapValue));
        }

        double g = Length > 0 && Transitions[^1].IsTerminal ? 0 : bootstrapValue;
        for (int t = Length - 1; t >= 0; t--)
        {
            g = Transitions[t].Reward + (gamma * g);
            destination[t] = g;
        }
    }
}
