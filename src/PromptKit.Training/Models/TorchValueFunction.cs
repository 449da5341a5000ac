using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>Serves a TorchSharp critic network as an <see cref="IValueFunction"/>.</summary>
/// <remarks>Each call runs the critic on a <c>[1, ObservationSize]</c> tensor without gradient tracking inside its own
/// dispose scope. The value function does not own the network. Concurrent calls are safe while nothing updates the
/// critic.</remarks>
public sealed class TorchValueFunction : IValueFunction
{
    private readonly nn.Module<Tensor, Tensor> _critic;
    private readonly Device _device;

    /// <summary>Initializes a new instance of the <see cref="TorchValueFunction"/> class.</summary>
    /// <param name="critic">The critic: maps <c>[batch, observationSize]</c> to <c>[batch, 1]</c>.</param>
    /// <param name="observationSize">The length of the observation vectors.</param>
    /// <exception cref="ArgumentNullException"><paramref name="critic"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="observationSize"/> is zero or negative.</exception>
    public TorchValueFunction(nn.Module<Tensor, Tensor> critic, int observationSize)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        _critic = critic;
        _device = SingleObservation.DeviceOf(critic);
        ObservationSize = observationSize;
    }

    /// <inheritdoc />
    public int ObservationSize { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The critic returned other than one value.</exception>
    public float Estimate(ReadOnlySpan<float> observation)
    {
        if (observation.Length != ObservationSize)
        {
            throw new ArgumentException($"The observation has length {observation.Length}; expected {ObservationSize}.", nameof(observation));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor output = _critic.forward(SingleObservation.ToTensor(observation, _device));
        if (output.numel() != 1)
        {
            throw new InvalidOperationException($"The critic returned {output.numel()} values for one observation; expected 1.");
        }

        return output.to_type(ScalarType.Float32).cpu().item<float>();
    }
}
