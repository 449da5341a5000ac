namespace PromptKit.OnnxRuntime;

/// <summary>The weights of a pointer (additive attention) policy that points at one of a fixed number of elements
/// packed into the observation, or stops; ready to be exported to ONNX with
/// <see cref="OnnxPolicyExporter.Export(PointerPolicyWeights, OnnxExportOptions?)"/>.</summary>
/// <remarks>
/// <para>Observation layout (<see cref="ObservationSize"/> values), with D = <see cref="ContextSize"/>, P =
/// <see cref="ProgressSize"/>, F = <see cref="ElementFeatureSize"/> and E = <see cref="MaxElements"/>:
/// <c>[ c (D) | p (P) | e_0 (D) | g_0 (F) | ... | e_{E-1} (D) | g_{E-1} (F) ]</c>, where <c>g_i[0]</c> is element i's
/// validity flag m_i. With q = [c ; p] and k_i = [e_i ; g_i ; e_i ⊙ c], the policy computes</para>
/// <code>
/// h_i     = tanh(W_k·k_i + b_k + W_q·q + b_q)          ElementProjection (W_k, b_k), QueryProjection (W_q, b_q)
/// score_i = v·h_i + b_v                                Score
/// pooled  = Σ_i m_i·h_i / max(Σ_i m_i, 1)
/// stop    = StopHead([q ; pooled])
/// logits  = [score_0, ..., score_{E-1}, stop]          E + 1 actions; the last one stops
/// </code>
/// <para>This is PromptKit.Training's <c>PointerPolicyNetwork</c>, whose query projection has no bias (pass zeros).
/// Dense weights are [out, in] row-major, as PyTorch's <c>Linear.weight</c>.</para>
/// <para>Immutable and thread-safe; the layer weights it holds are immutable too.</para>
/// </remarks>
public sealed class PointerPolicyWeights
{
    /// <summary>Initializes a new instance of the <see cref="PointerPolicyWeights"/> class.</summary>
    /// <param name="contextSize">D: the length of the context vector and of each element's encoding.</param>
    /// <param name="progressSize">P: the number of progress features (0 for none).</param>
    /// <param name="elementFeatureSize">F: the number of features of each element, its validity flag first.</param>
    /// <param name="maxElements">E: the number of element slots.</param>
    /// <param name="elementProjection">W_k and b_k: 2D + F inputs, H outputs, no activation.</param>
    /// <param name="queryProjection">W_q and b_q: D + P inputs, H outputs, no activation.</param>
    /// <param name="score">v and b_v: H inputs, 1 output, no activation.</param>
    /// <param name="stopHead">The stop logit's layers: D + P + H inputs, 1 output.</param>
    /// <exception cref="ArgumentNullException">A layer argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="progressSize"/> is negative, another size is not
    /// positive, or the observation would be longer than <see cref="int.MaxValue"/> values.</exception>
    /// <exception cref="ArgumentException">A layer's sizes do not fit the layout above, or a projection or the score has an activation.</exception>
    public PointerPolicyWeights(
        int contextSize,
        int progressSize,
        int elementFeatureSize,
        int maxElements,
        DenseLayerWeights elementProjection,
        DenseLayerWeights queryProjection,
        DenseLayerWeights score,
        MlpPolicyWeights stopHead)
    {
        int observationSize = GetObservationSize(contextSize, progressSize, elementFeatureSize, maxElements);
        ArgumentNullException.ThrowIfNull(elementProjection);
        ArgumentNullException.ThrowIfNull(queryProjection);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(stopHead);
        long keySize = (2L * contextSize) + elementFeatureSize;
        int hidden = elementProjection.OutputSize;
        RequireLinear(elementProjection, keySize, hidden, "the key [e_i ; g_i ; e_i ⊙ c] (2D + F)", nameof(elementProjection));
        RequireLinear(queryProjection, (long)contextSize + progressSize, hidden, "the query [c ; p] (D + P)", nameof(queryProjection));
        RequireLinear(score, hidden, 1, "the attention state h_i (H)", nameof(score));
        if (stopHead.InputSize != (long)contextSize + progressSize + hidden || stopHead.OutputSize != 1)
        {
            throw new ArgumentException($"The stop head maps {stopHead.InputSize} inputs to {stopHead.OutputSize} outputs; it must map [q ; pooled] ({(long)contextSize + progressSize + hidden} = D + P + H values) to 1 logit.", nameof(stopHead));
        }

        ContextSize = contextSize;
        ProgressSize = progressSize;
        ElementFeatureSize = elementFeatureSize;
        MaxElements = maxElements;
        ObservationSize = observationSize;
        ElementProjection = elementProjection;
        QueryProjection = queryProjection;
        Score = score;
        StopHead = stopHead;
    }

    /// <summary>Gets D: the length of the context vector and of each element's encoding.</summary>
    public int ContextSize { get; }

    /// <summary>Gets P: the number of progress features.</summary>
    public int ProgressSize { get; }

    /// <summary>Gets F: the number of features of each element, its validity flag first.</summary>
    public int ElementFeatureSize { get; }

    /// <summary>Gets E: the number of element slots.</summary>
    public int MaxElements { get; }

    /// <summary>Gets H: the width of the attention state.</summary>
    public int HiddenSize => ElementProjection.OutputSize;

    /// <summary>Gets the length of the observation vectors: D + P + E × (D + F).</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the number of actions: E elements and stop.</summary>
    public int ActionCount => MaxElements + 1;

    /// <summary>Gets W_k and b_k, the projection of each key to H.</summary>
    public DenseLayerWeights ElementProjection { get; }

    /// <summary>Gets W_q and b_q, the projection of the query to H.</summary>
    public DenseLayerWeights QueryProjection { get; }

    /// <summary>Gets v and b_v, the projection of each attention state to its score.</summary>
    public DenseLayerWeights Score { get; }

    /// <summary>Gets the stop head, which maps [q ; pooled] to the stop logit.</summary>
    public MlpPolicyWeights StopHead { get; }

    /// <summary>Validates the sizes of a pointer observation and returns its length, D + P + E × (D + F).</summary>
    /// <param name="contextSize">D: the length of the context vector and of each element's encoding.</param>
    /// <param name="progressSize">P: the number of progress features (0 for none).</param>
    /// <param name="elementFeatureSize">F: the number of features of each element, its validity flag first.</param>
    /// <param name="maxElements">E: the number of element slots.</param>
    /// <returns>The number of values in one observation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="progressSize"/> is negative, another size is not
    /// positive, or the observation would be longer than <see cref="int.MaxValue"/> values.</exception>
    public static int GetObservationSize(int contextSize, int progressSize, int elementFeatureSize, int maxElements)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextSize);
        ArgumentOutOfRangeException.ThrowIfNegative(progressSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementFeatureSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxElements);
        long size = (long)contextSize + progressSize + ((long)maxElements * ((long)contextSize + elementFeatureSize));
        if (size > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(maxElements), maxElements, $"{maxElements} elements of {contextSize} + {elementFeatureSize} values make an observation longer than {int.MaxValue} values.");
        }

        return (int)size;
    }

    private static void RequireLinear(DenseLayerWeights layer, long inputs, int outputs, string reads, string paramName)
    {
        if (layer.InputSize != inputs || layer.OutputSize != outputs)
        {
            throw new ArgumentException($"The layer maps {layer.InputSize} inputs to {layer.OutputSize} outputs; it reads {reads}, so it must map {inputs} inputs to {outputs}.", paramName);
        }

        if (layer.Activation != DenseActivation.None)
        {
            throw new ArgumentException($"The layer has activation {layer.Activation}; it must be {nameof(DenseActivation.None)} (the tanh follows the sum of both projections).", paramName);
        }
    }
}
