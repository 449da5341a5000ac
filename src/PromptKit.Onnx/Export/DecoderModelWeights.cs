namespace PromptKit.OnnxRuntime;

/// <summary>The weights and shape of a Llama-family decoder-only transformer (RMSNorm, rotary positions in the
/// rotate-half layout, SwiGLU, grouped-query attention), ready to be exported with <see cref="OnnxDecoderExporter"/>.</summary>
/// <remarks>
/// <para>Tensors are float32, row-major, keyed by their Hugging Face names: <c>model.embed_tokens.weight</c> [V, H],
/// per layer i <c>model.layers.i.self_attn.{q,k,v,o}_proj.weight</c> (and optional <c>.bias</c> on any projection),
/// <c>model.layers.i.mlp.{gate,up,down}_proj.weight</c>, <c>model.layers.i.input_layernorm.weight</c>,
/// <c>model.layers.i.post_attention_layernorm.weight</c>, <c>model.norm.weight</c>, and <c>lm_head.weight</c> [V, H]
/// unless the head is tied to the embedding. Linear weights are [out, in] as in PyTorch.</para>
/// <para>The rotary variant is given by its inverse frequencies (half the head size), so any frequency scaling
/// (linear, Llama 3.1) is already applied. Immutable once built; the arrays passed in are not copied: do not change them.</para>
/// </remarks>
public sealed class DecoderModelWeights
{
    /// <summary>Initializes a new instance of the <see cref="DecoderModelWeights"/> class and checks every tensor's presence and size.</summary>
    /// <param name="vocabularySize">V.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="intermediateSize">The SwiGLU width.</param>
    /// <param name="layerCount">The number of layers.</param>
    /// <param name="headCount">The number of query heads.</param>
    /// <param name="keyValueHeadCount">The number of key/value heads (a divisor of <paramref name="headCount"/>).</param>
    /// <param name="headSize">The size of a head (even).</param>
    /// <param name="rmsNormEpsilon">The RMS norms' epsilon.</param>
    /// <param name="inverseFrequencies">The rotary inverse frequencies (<paramref name="headSize"/> / 2 values).</param>
    /// <param name="tensors">The tensors by Hugging Face name.</param>
    /// <exception cref="ArgumentNullException">An array or the dictionary is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the heads do not divide, or the head size is odd.</exception>
    /// <exception cref="ArgumentException">A tensor is missing or has the wrong number of values (the message names it and the expected shape).</exception>
    public DecoderModelWeights(
        int vocabularySize,
        int hiddenSize,
        int intermediateSize,
        int layerCount,
        int headCount,
        int keyValueHeadCount,
        int headSize,
        double rmsNormEpsilon,
        float[] inverseFrequencies,
        IReadOnlyDictionary<string, float[]> tensors)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intermediateSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layerCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keyValueHeadCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headSize);
        if (!(rmsNormEpsilon > 0) || !double.IsFinite(rmsNormEpsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(rmsNormEpsilon), rmsNormEpsilon, "The epsilon must be positive and finite.");
        }

        ArgumentNullException.ThrowIfNull(inverseFrequencies);
        ArgumentNullException.ThrowIfNull(tensors);
        if (headCount % keyValueHeadCount != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keyValueHeadCount), keyValueHeadCount, $"The {headCount} query heads must be a multiple of the key/value heads.");
        }

        if (headSize % 2 != 0 || inverseFrequencies.Length != headSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(headSize), headSize, $"The head size must be even and there must be head size / 2 inverse frequencies (there are {inverseFrequencies.Length}).");
        }

        VocabularySize = vocabularySize;
        HiddenSize = hiddenSize;
        IntermediateSize = intermediateSize;
        LayerCount = layerCount;
        HeadCount = headCount;
        KeyValueHeadCount = keyValueHeadCount;
        HeadSize = headSize;
        RmsNormEpsilon = rmsNormEpsilon;
        InverseFrequencies = inverseFrequencies;
        Tensors = tensors;

        long q = (long)headCount * headSize, kv = (long)keyValueHeadCount * headSize;
        Require("model.embed_tokens.weight", vocabularySize, hiddenSize);
        Require("model.norm.weight", hiddenSize);
        if (tensors.ContainsKey("lm_head.weight"))
        {
            Require("lm_head.weight", vocabularySize, hiddenSize);
        }

        for (int i = 0; i < layerCount; i++)
        {
            string p = $"model.layers.{i}.";
            Require(p + "self_attn.q_proj.weight", q, hiddenSize);
            Require(p + "self_attn.k_proj.weight", kv, hiddenSize);
            Require(p + "self_attn.v_proj.weight", kv, hiddenSize);
            Require(p + "self_attn.o_proj.weight", hiddenSize, q);
            Optional(p + "self_attn.q_proj.bias", q);
            Optional(p + "self_attn.k_proj.bias", kv);
            Optional(p + "self_attn.v_proj.bias", kv);
            Optional(p + "self_attn.o_proj.bias", hiddenSize);
            Optional(p + "mlp.gate_proj.bias", intermediateSize);
            Optional(p + "mlp.up_proj.bias", intermediateSize);
            Optional(p + "mlp.down_proj.bias", hiddenSize);
            Require(p + "mlp.gate_proj.weight", intermediateSize, hiddenSize);
            Require(p + "mlp.up_proj.weight", intermediateSize, hiddenSize);
            Require(p + "mlp.down_proj.weight", hiddenSize, intermediateSize);
            Require(p + "input_layernorm.weight", hiddenSize);
            Require(p + "post_attention_layernorm.weight", hiddenSize);
        }

        void Require(string name, params long[] shape)
        {
            if (!tensors.TryGetValue(name, out float[]? values) || values is null)
            {
                throw new ArgumentException($"The tensor '{name}' [{string.Join(", ", shape)}] is missing.", nameof(tensors));
            }

            Check(name, values, shape);
        }

        void Optional(string name, params long[] shape)
        {
            if (tensors.TryGetValue(name, out float[]? values) && values is not null)
            {
                Check(name, values, shape);
            }
        }

        static void Check(string name, float[] values, long[] shape)
        {
            long count = 1;
            foreach (long d in shape)
            {
                count *= d;
            }

            if (values.Length != count)
            {
                throw new ArgumentException($"The tensor '{name}' has {values.Length} values; shape [{string.Join(", ", shape)}] needs {count}.", nameof(tensors));
            }
        }
    }

    /// <summary>Gets V, the vocabulary size.</summary>
    public int VocabularySize { get; }

    /// <summary>Gets H, the width of the residual stream.</summary>
    public int HiddenSize { get; }

    /// <summary>Gets the SwiGLU width.</summary>
    public int IntermediateSize { get; }

    /// <summary>Gets the number of layers.</summary>
    public int LayerCount { get; }

    /// <summary>Gets the number of query heads.</summary>
    public int HeadCount { get; }

    /// <summary>Gets the number of key/value heads.</summary>
    public int KeyValueHeadCount { get; }

    /// <summary>Gets the size of a head.</summary>
    public int HeadSize { get; }

    /// <summary>Gets the RMS norms' epsilon.</summary>
    public double RmsNormEpsilon { get; }

    /// <summary>Gets the rotary inverse frequencies.</summary>
    public IReadOnlyList<float> InverseFrequencies { get; }

    /// <summary>Gets the tensors by Hugging Face name.</summary>
    public IReadOnlyDictionary<string, float[]> Tensors { get; }

    /// <summary>Gets a value indicating whether the output head is the token embedding.</summary>
    public bool TiedHead => !Tensors.ContainsKey("lm_head.weight");
}
