using System.Collections.Immutable;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>A multilayer perceptron: linear layers with a nonlinearity between them and a linear output layer.</summary>
/// <remarks>
/// <para>Every weight matrix is initialized orthogonally and every bias to zero, as the strong PPO implementations do
/// (CleanRL's <c>layer_init</c>, OpenAI Baselines' <c>ortho_init</c>, Stable-Baselines3): hidden layers with gain
/// <see cref="HiddenGain"/> (√2 by default), the output layer with the gain passed to the constructor (0.01 for an
/// actor so that the initial policy is close to uniform, 1 for a critic).</para>
/// <para>The input is a tensor of shape <c>[..., InputSize]</c>; the output has shape <c>[..., OutputSize]</c>.
/// Parameters are named <c>layers.{index}.weight</c> and <c>layers.{index}.bias</c>.</para>
/// </remarks>
public sealed class MlpNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>The gain √2 used for hidden layers by the PPO reference implementations.</summary>
    public const double DefaultHiddenGain = 1.4142135623730951;

    private readonly Sequential _layers;

    /// <summary>Serializes weight initialization, which draws from TorchSharp's global generator.</summary>
    internal static readonly Lock InitializationLock = new();

    /// <summary>Initializes a new instance of the <see cref="MlpNetwork"/> class on the CPU.</summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="hiddenSizes">The widths of the hidden layers, in order; empty gives a single linear layer.</param>
    /// <param name="outputSize">The number of outputs (actions for an actor, 1 for a critic).</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="outputGain">The orthogonal-initialization gain of the output layer: 0.01 for an actor, 1 for a critic.</param>
    /// <param name="hiddenGain">The orthogonal-initialization gain of the hidden layers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hiddenSizes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero or negative, an activation is undefined, or a gain is
    /// negative, NaN or infinite.</exception>
    public MlpNetwork(
        int inputSize,
        IReadOnlyList<int> hiddenSizes,
        int outputSize,
        MlpActivation activation = MlpActivation.Tanh,
        double outputGain = 1.0,
        double hiddenGain = DefaultHiddenGain)
        : base(nameof(MlpNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (activation is not (MlpActivation.Tanh or MlpActivation.Relu))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, $"Activation {activation} is not defined; use {nameof(MlpActivation.Tanh)} or {nameof(MlpActivation.Relu)}.");
        }

        ValidateGain(outputGain, nameof(outputGain));
        ValidateGain(hiddenGain, nameof(hiddenGain));
        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            if (hiddenSizes[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i], $"Hidden layer {i} has width {hiddenSizes[i]}; every width must be positive.");
            }
        }

        InputSize = inputSize;
        OutputSize = outputSize;
        HiddenSizes = [.. hiddenSizes];
        Activation = activation;
        HiddenGain = hiddenGain;
        OutputGain = outputGain;

        var modules = new List<nn.Module<Tensor, Tensor>>((2 * hiddenSizes.Count) + 1);
        int width = inputSize;
        foreach (int hidden in hiddenSizes)
        {
            modules.Add(CreateLinear(width, hidden, hiddenGain));
            modules.Add(activation == MlpActivation.Tanh ? nn.Tanh() : nn.ReLU());
            width = hidden;
        }

        modules.Add(CreateLinear(width, outputSize, outputGain));
        _layers = nn.Sequential(modules);
        register_module("layers", _layers);
    }

    /// <summary>Gets the number of input features.</summary>
    public int InputSize { get; }

    /// <summary>Gets the number of outputs.</summary>
    public int OutputSize { get; }

    /// <summary>Gets the widths of the hidden layers.</summary>
    public ImmutableArray<int> HiddenSizes { get; }

    /// <summary>Gets the nonlinearity after each hidden layer.</summary>
    public MlpActivation Activation { get; }

    /// <summary>Gets the orthogonal-initialization gain of the hidden layers.</summary>
    public double HiddenGain { get; }

    /// <summary>Gets the orthogonal-initialization gain of the output layer.</summary>
    public double OutputGain { get; }

    /// <summary>Runs the network.</summary>
    /// <param name="input">A tensor of shape <c>[..., InputSize]</c>.</param>
    /// <returns>A tensor of shape <c>[..., OutputSize]</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The last dimension of <paramref name="input"/> is not <see cref="InputSize"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dimensions == 0 || input.shape[^1] != InputSize)
        {
            throw new ArgumentException($"The input has shape [{string.Join(", ", input.shape)}]; its last dimension must be {InputSize}.", nameof(input));
        }

        return _layers.forward(input);
    }

    /// <summary>Gets the linear layers in order, input side first.</summary>
    internal IEnumerable<Linear> LinearLayers
    {
        get
        {
            foreach (var module in _layers.children())
            {
                if (module is Linear linear)
                {
                    yield return linear;
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Creates a linear layer with an orthogonal weight of the given gain and a zero bias (if any).</summary>
    internal static Linear CreateLinear(int inputs, int outputs, double gain, bool hasBias = true)
    {
        lock (InitializationLock)
        {
            Linear linear = nn.Linear(inputs, outputs, hasBias);
            using (no_grad())
            {
                nn.init.orthogonal_(linear.weight, gain);
                if (linear.bias is not null)
                {
                    nn.init.zeros_(linear.bias);
                }
            }

            return linear;
        }
    }

    /// <summary>Throws unless a gain is a finite, non-negative number.</summary>
    internal static void ValidateGain(double gain, string name)
    {
        if (!double.IsFinite(gain) || gain < 0)
        {
            throw new ArgumentOutOfRangeException(name, gain, $"The gain is {gain}; it must be a finite, non-negative number.");
        }
    }
}
