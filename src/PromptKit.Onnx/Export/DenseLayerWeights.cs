using System.Collections.Immutable;

namespace PromptKit.OnnxRuntime;

/// <summary>The weights of one dense (fully connected) layer, y = activation(W·x + b), ready to be exported to ONNX.</summary>
/// <remarks>
/// <para><see cref="Weights"/> is the matrix W of shape [<see cref="OutputSize"/>, <see cref="InputSize"/>] in row-major
/// order: the layout of PyTorch's and TorchSharp's <c>Linear.weight</c>, so a trained layer's weight tensor can be copied
/// as is. The exporter writes it as an ONNX <c>Gemm</c> with <c>transB = 1</c>.</para>
/// <para>Immutable and thread-safe; the constructor copies its inputs.</para>
/// </remarks>
public sealed class DenseLayerWeights
{
    /// <summary>Initializes a new instance of the <see cref="DenseLayerWeights"/> class.</summary>
    /// <param name="inputSize">The number of inputs.</param>
    /// <param name="outputSize">The number of outputs.</param>
    /// <param name="weights">W, [<paramref name="outputSize"/>, <paramref name="inputSize"/>] row-major; copied.</param>
    /// <param name="bias">b, one value per output; copied.</param>
    /// <param name="activation">The activation applied after the affine map.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> or <paramref name="outputSize"/> is not positive, or <paramref name="activation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> or <paramref name="bias"/> has the wrong length or holds NaN or infinity.</exception>
    public DenseLayerWeights(int inputSize, int outputSize, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, DenseActivation activation = DenseActivation.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        WeightValidation.DefinedActivation(activation, nameof(activation));
        long count = (long)inputSize * outputSize;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"A {outputSize}x{inputSize} weight matrix is larger than an array can hold.");
        }

        Weights = WeightValidation.CopyFinite(weights, (int)count, $"[{outputSize}, {inputSize}]", nameof(weights));
        Bias = WeightValidation.CopyFinite(bias, outputSize, $"[{outputSize}]", nameof(bias));
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>Gets the number of inputs.</summary>
    public int InputSize { get; }

    /// <summary>Gets the number of outputs.</summary>
    public int OutputSize { get; }

    /// <summary>Gets W, [<see cref="OutputSize"/>, <see cref="InputSize"/>] in row-major order.</summary>
    public ImmutableArray<float> Weights { get; }

    /// <summary>Gets b, one value per output.</summary>
    public ImmutableArray<float> Bias { get; }

    /// <summary>Gets the activation applied after the affine map.</summary>
    public DenseActivation Activation { get; }
}
