using System.Collections.Immutable;

namespace PromptKit.OnnxRuntime;

/// <summary>The weights of a recurrent policy: a one-layer GRU reads a sequence of feature vectors, and a dense head maps its last hidden state to logits; ready to be exported to ONNX.</summary>
/// <remarks>
/// <para>The weights follow the ONNX <c>GRU</c> operator (forward direction, zero initial state). With gates stacked in
/// the order <b>z, r, h</b> (update, reset, hidden), σ the logistic function and ⊙ the element-wise product, each step is:</para>
/// <code>
/// z = σ(W_z·x + Wb_z + R_z·h + Rb_z)
/// r = σ(W_r·x + Wb_r + R_r·h + Rb_r)
/// ĥ = tanh(W_h·x + Wb_h + R_h·(r ⊙ h) + Rb_h)        when LinearBeforeReset is false (the ONNX default)
/// ĥ = tanh(W_h·x + Wb_h + r ⊙ (R_h·h + Rb_h))        when LinearBeforeReset is true (PyTorch's nn.GRU)
/// h' = (1 − z) ⊙ ĥ + z ⊙ h
/// </code>
/// <para>PyTorch and TorchSharp stack their gates as r, z, n and compute the new gate with the reset applied after the
/// linear map: convert <c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0</c> with
/// <see cref="ReorderPyTorchGates(ReadOnlySpan{float}, int, Span{float})"/> and set <c>linearBeforeReset</c> to
/// <see langword="true"/>.</para>
/// <para>Immutable and thread-safe; the constructor copies its inputs.</para>
/// </remarks>
public sealed class GruPolicyWeights
{
    /// <summary>Initializes a new instance of the <see cref="GruPolicyWeights"/> class.</summary>
    /// <param name="inputSize">The length of each feature vector in the sequence.</param>
    /// <param name="hiddenSize">The length of the hidden state.</param>
    /// <param name="inputWeights">W, [3·<paramref name="hiddenSize"/>, <paramref name="inputSize"/>] row-major, gates z, r, h; copied.</param>
    /// <param name="recurrentWeights">R, [3·<paramref name="hiddenSize"/>, <paramref name="hiddenSize"/>] row-major, gates z, r, h; copied.</param>
    /// <param name="inputBias">Wb, [3·<paramref name="hiddenSize"/>], gates z, r, h; copied.</param>
    /// <param name="recurrentBias">Rb, [3·<paramref name="hiddenSize"/>], gates z, r, h; copied.</param>
    /// <param name="linearBeforeReset">Whether the reset gate multiplies R_h·h + Rb_h (PyTorch) instead of h (the ONNX default).</param>
    /// <param name="head">The dense layers that map the static features and the last hidden state (in that order) to
    /// logits; its input size must be <paramref name="staticSize"/> + <paramref name="hiddenSize"/>.</param>
    /// <param name="staticSize">The number of static features read next to the sequence (0 for a sequence-only policy);
    /// a policy with static features is exported with <see cref="OnnxPolicyExporter.ExportPacked"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="head"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> or <paramref name="hiddenSize"/> is not positive or too large, or <paramref name="staticSize"/> is negative.</exception>
    /// <exception cref="ArgumentException">A weight or bias span has the wrong length or holds NaN or infinity, or the head's input size is not <paramref name="staticSize"/> + <paramref name="hiddenSize"/>.</exception>
    public GruPolicyWeights(
        int inputSize,
        int hiddenSize,
        ReadOnlySpan<float> inputWeights,
        ReadOnlySpan<float> recurrentWeights,
        ReadOnlySpan<float> inputBias,
        ReadOnlySpan<float> recurrentBias,
        bool linearBeforeReset,
        MlpPolicyWeights head,
        int staticSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegative(staticSize);
        ArgumentNullException.ThrowIfNull(head);
        long gates = 3L * hiddenSize;
        if (gates * Math.Max(inputSize, hiddenSize) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The GRU weight matrices are larger than an array can hold.");
        }

        if (head.InputSize != (long)staticSize + hiddenSize)
        {
            throw new ArgumentException($"The head reads {head.InputSize} inputs, but {staticSize} static features and the GRU's hidden size {hiddenSize} make {(long)staticSize + hiddenSize}; they must be equal.", nameof(head));
        }

        InputWeights = WeightValidation.CopyFinite(inputWeights, (int)(gates * inputSize), $"[3*{hiddenSize}, {inputSize}]", nameof(inputWeights));
        RecurrentWeights = WeightValidation.CopyFinite(recurrentWeights, (int)(gates * hiddenSize), $"[3*{hiddenSize}, {hiddenSize}]", nameof(recurrentWeights));
        InputBias = WeightValidation.CopyFinite(inputBias, (int)gates, $"[3*{hiddenSize}]", nameof(inputBias));
        RecurrentBias = WeightValidation.CopyFinite(recurrentBias, (int)gates, $"[3*{hiddenSize}]", nameof(recurrentBias));
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        StaticSize = staticSize;
        LinearBeforeReset = linearBeforeReset;
        Head = head;
    }

    /// <summary>Gets the length of each feature vector in the sequence.</summary>
    public int InputSize { get; }

    /// <summary>Gets the length of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Gets the number of static features the head reads before the hidden state (0 for a sequence-only policy).</summary>
    public int StaticSize { get; }

    /// <summary>Gets W, [3·<see cref="HiddenSize"/>, <see cref="InputSize"/>] row-major, gates z, r, h.</summary>
    public ImmutableArray<float> InputWeights { get; }

    /// <summary>Gets R, [3·<see cref="HiddenSize"/>, <see cref="HiddenSize"/>] row-major, gates z, r, h.</summary>
    public ImmutableArray<float> RecurrentWeights { get; }

    /// <summary>Gets Wb, [3·<see cref="HiddenSize"/>], gates z, r, h.</summary>
    public ImmutableArray<float> InputBias { get; }

    /// <summary>Gets Rb, [3·<see cref="HiddenSize"/>], gates z, r, h.</summary>
    public ImmutableArray<float> RecurrentBias { get; }

    /// <summary>Gets a value indicating whether the reset gate multiplies R_h·h + Rb_h (PyTorch) instead of h (the ONNX default).</summary>
    public bool LinearBeforeReset { get; }

    /// <summary>Gets the dense layers that map the static features and the last hidden state to logits.</summary>
    public MlpPolicyWeights Head { get; }

    /// <summary>Gets the number of actions (the head's output size).</summary>
    public int ActionCount => Head.OutputSize;

    /// <summary>Copies a PyTorch/TorchSharp GRU parameter, whose three gate blocks are stacked r, z, n, into the ONNX order z, r, h.</summary>
    /// <param name="source">A GRU weight ([3·hidden, columns] row-major) or bias ([3·hidden]) in PyTorch's gate order.</param>
    /// <param name="hiddenSize">The GRU's hidden size.</param>
    /// <param name="destination">Where to write the reordered values; the same length as <paramref name="source"/>, and not overlapping it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not three blocks of <paramref name="hiddenSize"/> rows, <paramref name="destination"/> has a different length, or the spans overlap.</exception>
    public static void ReorderPyTorchGates(ReadOnlySpan<float> source, int hiddenSize, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        if (source.IsEmpty || source.Length % (3L * hiddenSize) != 0)
        {
            throw new ArgumentException($"Source length {source.Length} is not a positive multiple of 3 x hidden size {hiddenSize}.", nameof(source));
        }

        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} does not match source length {source.Length}.", nameof(destination));
        }

        if (source.Overlaps(destination))
        {
            throw new ArgumentException("Destination overlaps source; pass a separate buffer.", nameof(destination));
        }

        int block = source.Length / 3;
        source.Slice(block, block).CopyTo(destination[..block]);      // z (PyTorch's second block)
        source[..block].CopyTo(destination.Slice(block, block));      // r (PyTorch's first block)
        source[(2 * block)..].CopyTo(destination[(2 * block)..]);     // n = h
    }
}
