using System.Collections.Immutable;

namespace PromptKit.OnnxRuntime;

/// <summary>The weights of a multilayer perceptron (a stack of dense layers) that maps an observation to logits, a value, or another vector; ready to be exported to ONNX.</summary>
/// <remarks>
/// <para>Build one with <see cref="MlpPolicyWeightsBuilder"/> or from a list of <see cref="DenseLayerWeights"/>. Layer
/// <c>i + 1</c> reads what layer <c>i</c> writes, so their sizes must chain. Export with
/// <see cref="OnnxPolicyExporter.Export(MlpPolicyWeights, OnnxExportOptions?)"/> (an actor: logits) or
/// <see cref="OnnxPolicyExporter.ExportValueFunction(MlpPolicyWeights, OnnxExportOptions?)"/> (a critic: one value).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class MlpPolicyWeights
{
    /// <summary>Initializes a new instance of the <see cref="MlpPolicyWeights"/> class.</summary>
    /// <param name="layers">The layers, input side first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="layers"/> is empty, holds <see langword="null"/>, or a layer's input size differs from the previous layer's output size.</exception>
    public MlpPolicyWeights(IEnumerable<DenseLayerWeights> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ImmutableArray<DenseLayerWeights> list = [.. layers];
        if (list.IsEmpty)
        {
            throw new ArgumentException("A multilayer perceptron needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Layer at index {i} is null.", nameof(layers));
            }

            if (i > 0 && list[i].InputSize != list[i - 1].OutputSize)
            {
                throw new ArgumentException(
                    $"Layer at index {i} reads {list[i].InputSize} inputs but layer {i - 1} writes {list[i - 1].OutputSize} outputs; the sizes must chain.",
                    nameof(layers));
            }
        }

        Layers = list;
    }

    /// <summary>Gets the layers, input side first.</summary>
    public ImmutableArray<DenseLayerWeights> Layers { get; }

    /// <summary>Gets the length of the input vector (the observation size).</summary>
    public int InputSize => Layers[0].InputSize;

    /// <summary>Gets the length of the output vector (the action count for an actor, 1 for a critic).</summary>
    public int OutputSize => Layers[^1].OutputSize;
}
