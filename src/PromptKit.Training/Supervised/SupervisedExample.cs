using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>One labelled decision for behaviour cloning: an observation and the best action of each agent in it.</summary>
/// <remarks>A token sequence (a rewriter's several edit decisions) is several examples, one per position, each with
/// the state before that token. Give an agent the label <see cref="NoLabel"/> to leave its actor out of this example's loss.</remarks>
public sealed class SupervisedExample
{
    /// <summary>The label meaning "no target for this agent in this example".</summary>
    public const int NoLabel = -1;

    /// <summary>Initializes a new instance of the <see cref="SupervisedExample"/> class.</summary>
    /// <param name="observation">The observation.</param>
    /// <param name="labels">One action index per agent, or <see cref="NoLabel"/>.</param>
    /// <param name="mask">The allowed actions, concatenated over agents (the same layout the model's action counts give),
    /// or default for all allowed.</param>
    /// <exception cref="ArgumentException"><paramref name="observation"/> or <paramref name="labels"/> is empty, holds
    /// a non-finite value or a label below <see cref="NoLabel"/>, or no agent has a label.</exception>
    public SupervisedExample(ImmutableArray<float> observation, ImmutableArray<int> labels, ImmutableArray<bool> mask = default)
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

        if (labels.IsDefaultOrEmpty)
        {
            throw new ArgumentException("At least one label (one per agent) is required.", nameof(labels));
        }

        bool any = false;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < NoLabel)
            {
                throw new ArgumentException($"Label {i} is {labels[i]}; use an action index or {nameof(NoLabel)} (-1).", nameof(labels));
            }

            any |= labels[i] != NoLabel;
        }

        if (!any)
        {
            throw new ArgumentException("Every label is NoLabel; the example teaches nothing.", nameof(labels));
        }

        Observation = observation;
        Labels = labels;
        Mask = mask.IsDefault ? [] : mask;
    }

    /// <summary>Initializes a new instance of the <see cref="SupervisedExample"/> class for a single agent.</summary>
    /// <param name="observation">The observation.</param>
    /// <param name="label">The best action.</param>
    /// <exception cref="ArgumentException"><paramref name="observation"/> is empty or not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is negative.</exception>
    public SupervisedExample(ImmutableArray<float> observation, int label)
        : this(observation, [label >= 0 ? label : throw new ArgumentOutOfRangeException(nameof(label), label, "The label must be a non-negative action index.")])
    {
    }

    /// <summary>Gets the observation.</summary>
    public ImmutableArray<float> Observation { get; }

    /// <summary>Gets one label per agent (<see cref="NoLabel"/> for none).</summary>
    public ImmutableArray<int> Labels { get; }

    /// <summary>Gets the allowed actions concatenated over agents, or an empty array for all allowed.</summary>
    public ImmutableArray<bool> Mask { get; }
}
