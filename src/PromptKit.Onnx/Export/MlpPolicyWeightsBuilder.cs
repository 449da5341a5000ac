namespace PromptKit.OnnxRuntime;

/// <summary>Builds <see cref="MlpPolicyWeights"/> layer by layer.</summary>
/// <remarks>
/// <code>
/// MlpPolicyWeights actor = new MlpPolicyWeightsBuilder(inputSize: 8)
///     .AddLayer(32, hiddenWeights, hiddenBias, DenseActivation.Tanh)   // W: [32, 8] row-major
///     .AddLayer(4, outputWeights, outputBias)                          // W: [4, 32]; logits, no activation
///     .Build();
/// </code>
/// <para>Not thread-safe; the product is immutable and thread-safe, and later calls do not change it.</para>
/// </remarks>
public sealed class MlpPolicyWeightsBuilder
{
    private readonly List<DenseLayerWeights> _layers = [];

    /// <summary>Initializes a new instance of the <see cref="MlpPolicyWeightsBuilder"/> class.</summary>
    /// <param name="inputSize">The length of the input vector (the observation size).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    public MlpPolicyWeightsBuilder(int inputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        InputSize = inputSize;
    }

    /// <summary>Gets the length of the input vector.</summary>
    public int InputSize { get; }

    /// <summary>Gets the output size of the last layer added so far, or <see cref="InputSize"/> when there is none.</summary>
    public int CurrentSize => _layers.Count == 0 ? InputSize : _layers[^1].OutputSize;

    /// <summary>Adds a dense layer that reads the previous layer's outputs (or the input) to the builder.</summary>
    /// <param name="outputSize">The number of outputs.</param>
    /// <param name="weights">W, [<paramref name="outputSize"/>, <see cref="CurrentSize"/>] row-major (PyTorch's <c>Linear.weight</c> layout); copied.</param>
    /// <param name="bias">b, one value per output; copied.</param>
    /// <param name="activation">The activation applied after the affine map.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputSize"/> is not positive, or <paramref name="activation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> or <paramref name="bias"/> has the wrong length or holds NaN or infinity.</exception>
    public MlpPolicyWeightsBuilder AddLayer(int outputSize, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, DenseActivation activation = DenseActivation.None)
    {
        _layers.Add(new DenseLayerWeights(CurrentSize, outputSize, weights, bias, activation));
        return this;
    }

    /// <summary>Adds a dense layer to the builder.</summary>
    /// <param name="layer">The layer; its input size must be <see cref="CurrentSize"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The layer's input size is not <see cref="CurrentSize"/>.</exception>
    public MlpPolicyWeightsBuilder AddLayer(DenseLayerWeights layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.InputSize != CurrentSize)
        {
            throw new ArgumentException(
                $"The layer reads {layer.InputSize} inputs but the previous layer (or the input) has {CurrentSize} values.", nameof(layer));
        }

        _layers.Add(layer);
        return this;
    }

    /// <summary>Builds the immutable weights.</summary>
    /// <returns>The weights of the layers added so far.</returns>
    /// <exception cref="InvalidOperationException">No layer was added.</exception>
    public MlpPolicyWeights Build()
    {
        if (_layers.Count == 0)
        {
            throw new InvalidOperationException(
                $"{nameof(MlpPolicyWeightsBuilder)} has no layers. Call {nameof(AddLayer)} at least once (the last layer writes the logits) before {nameof(Build)}.");
        }

        return new MlpPolicyWeights(_layers);
    }
}
