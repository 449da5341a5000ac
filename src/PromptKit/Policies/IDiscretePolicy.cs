namespace PromptKit;

/// <summary>A policy over a finite set of actions: it maps an observation vector to one logit per action.</summary>
/// <remarks>
/// <para>This is the seam that trained actors are served through: a TorchSharp network during training, an ONNX model in
/// production, or a hand-written rule. Use <see cref="DiscretePolicyExtensions"/> for probabilities, sampling and
/// greedy choice, so every policy turns logits into actions the same way.</para>
/// <para>Implementations must be thread-safe.</para>
/// </remarks>
public interface IDiscretePolicy
{
    /// <summary>Gets the length of the observation vectors the policy reads.</summary>
    int ObservationSize { get; }

    /// <summary>Gets the number of actions.</summary>
    int ActionCount { get; }

    /// <summary>Computes the unnormalized log-probabilities (logits) of every action.</summary>
    /// <param name="observation">The observation; its length must be <see cref="ObservationSize"/>.</param>
    /// <param name="logits">The span to write the logits into; its length must be <see cref="ActionCount"/>.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    void ComputeLogits(ReadOnlySpan<float> observation, Span<float> logits);
}
