using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>Serves a TorchSharp actor network as an <see cref="IDiscretePolicy"/>.</summary>
/// <remarks>
/// <para>Each call copies the observation into a <c>[1, ObservationSize]</c> tensor on the actor's device, runs the
/// actor without gradient tracking inside its own <see cref="torch.NewDisposeScope"/> (so no tensor outlives the call)
/// and copies the <c>ActionCount</c> logits into the caller's span.</para>
/// <para>The policy does not own the actor: dispose the actor yourself after the policy is no longer used. Put the actor
/// in evaluation mode (<c>actor.eval()</c>) if it has dropout or normalization layers. Concurrent calls are safe (gradient
/// mode and dispose scopes are per thread) as long as nothing updates or moves the actor's parameters meanwhile; the
/// actor's device is read once, at construction.</para>
/// </remarks>
public sealed class TorchDiscretePolicy : IDiscretePolicy
{
    private readonly nn.Module<Tensor, Tensor> _actor;
    private readonly Device _device;

    /// <summary>Initializes a new instance of the <see cref="TorchDiscretePolicy"/> class.</summary>
    /// <param name="actor">The actor network: maps <c>[batch, observationSize]</c> to <c>[batch, actionCount]</c> logits.</param>
    /// <param name="observationSize">The length of the observation vectors.</param>
    /// <param name="actionCount">The number of actions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="observationSize"/> or <paramref name="actionCount"/>
    /// is zero or negative.</exception>
    public TorchDiscretePolicy(nn.Module<Tensor, Tensor> actor, int observationSize, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionCount);

        _actor = actor;
        _device = SingleObservation.DeviceOf(actor);
        ObservationSize = observationSize;
        ActionCount = actionCount;
    }

    /// <summary>Initializes a new instance of the <see cref="TorchDiscretePolicy"/> class over an <see cref="MlpNetwork"/>,
    /// taking the sizes from it.</summary>
    /// <param name="actor">The actor network.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> is <see langword="null"/>.</exception>
    public TorchDiscretePolicy(MlpNetwork actor)
        : this(actor ?? throw new ArgumentNullException(nameof(actor)), actor.InputSize, actor.OutputSize)
    {
    }

    /// <inheritdoc />
    public int ObservationSize { get; }

    /// <inheritdoc />
    public int ActionCount { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The actor returned a number of logits other than <see cref="ActionCount"/>.</exception>
    public void ComputeLogits(ReadOnlySpan<float> observation, Span<float> logits)
    {
        if (observation.Length != ObservationSize)
        {
            throw new ArgumentException($"The observation has length {observation.Length}; expected {ObservationSize}.", nameof(observation));
        }

        if (logits.Length != ActionCount)
        {
            throw new ArgumentException($"The logits span has length {logits.Length}; expected {ActionCount}.", nameof(logits));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor output = _actor.forward(SingleObservation.ToTensor(observation, _device));
        if (output.numel() != ActionCount)
        {
            throw new InvalidOperationException($"The actor returned {output.numel()} values for one observation; expected {ActionCount} logits. Check the actor's output layer.");
        }

        Tensor result = output.to_type(ScalarType.Float32).cpu().contiguous();
        result.data<float>().CopyTo(logits);
    }
}
