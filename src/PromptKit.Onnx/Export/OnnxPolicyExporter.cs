using System.Globalization;
using static PromptKit.OnnxRuntime.OnnxGraphWriter;
using DataType = PromptKit.OnnxRuntime.TensorProto.Types.DataType;

namespace PromptKit.OnnxRuntime;

/// <summary>Writes trained actor and critic weights as ONNX models that <c>OnnxPolicy</c> (PromptKit.OnnxRuntime), ONNX Runtime and other ONNX tools can run.</summary>
/// <remarks>
/// <para>The files use ONNX IR version <see cref="IrVersion"/> and the default-domain operator set
/// <see cref="OpsetVersion"/>, with the operators <c>Gemm</c>, <c>Relu</c>, <c>Tanh</c>, <c>Softmax</c>, <c>Transpose</c>,
/// <c>GRU</c> and <c>Squeeze</c> (and, for packed recurrent models, <c>Slice</c>, <c>Reshape</c>, <c>Round</c>, <c>Clip</c>,
/// <c>Cast</c>, <c>Greater</c>, <c>Mul</c> and <c>Concat</c>; for pointer actors, <c>Slice</c>, <c>Reshape</c>,
/// <c>Unsqueeze</c>, <c>Mul</c>, <c>Concat</c>, <c>MatMul</c>, <c>Add</c>, <c>ReduceSum</c>, <c>Max</c> and <c>Div</c>). Weights are float initializers stored as little-endian <c>raw_data</c>. The batch
/// dimension is symbolic (<c>"batch"</c>), so one model serves any batch size.</para>
/// <para>Feed-forward actor (<see cref="Export(MlpPolicyWeights, OnnxExportOptions?)"/>): input
/// <c>observation</c> float [batch, observation size]; outputs <c>logits</c> float [batch, actions] and
/// <c>probabilities</c> (softmax over the last axis) float [batch, actions].</para>
/// <para>Recurrent actor (<see cref="Export(GruPolicyWeights, OnnxExportOptions?)"/>): input <c>sequence</c> float
/// [batch, sequence length, features] (the sequence length is symbolic too) and, with
/// <see cref="OnnxExportOptions.IncludeSequenceLengths"/>, <c>sequence_lengths</c> int32 [batch] (each between 1 and
/// the sequence length); the GRU's final hidden state (at each sequence's own last step) feeds the head; outputs as above.</para>
/// <para>Packed recurrent actor (<see cref="ExportPacked"/>): input <c>observation</c> float [batch, static + 1 +
/// steps × features] holding the static features, the number of valid steps and the steps; the head reads the static
/// features and the GRU's final hidden state; outputs as above.</para>
/// <para>Pointer actor (<see cref="Export(PointerPolicyWeights, OnnxExportOptions?)"/>): input <c>observation</c>
/// float [batch, context + progress + elements × (context + element features)]; outputs <c>logits</c> (one per element,
/// then stop) and <c>probabilities</c> as above.</para>
/// <para>Critic (<see cref="ExportValueFunction(MlpPolicyWeights, OnnxExportOptions?)"/>, or
/// <see cref="ExportPackedValueFunction"/> for a recurrent one): input <c>observation</c>, output <c>value</c> float
/// [batch, 1].</para>
/// <para>All names can be changed with <see cref="OnnxExportOptions"/>. The methods are thread-safe.</para>
/// </remarks>
public static class OnnxPolicyExporter
{
    /// <summary>The ONNX operator set version the exported models import (default domain).</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX IR version of the exported models.</summary>
    public const int IrVersion = 8;

    private const string BatchSymbol = "batch";
    private const string SequenceSymbol = "sequence";

    /// <summary>Exports a feed-forward actor whose last layer writes the logits.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has an empty or duplicate input or output name.</exception>
    public static byte[] Export(MlpPolicyWeights policy, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: false, critic: false);
        var writer = new OnnxGraphWriter(options.GraphName);
        writer.AddInput(options.ObservationInputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(policy.InputSize));
        WriteDense(writer, policy, "layer", options.ObservationInputName, options.LogitsOutputName);
        WriteActorOutputs(writer, options, policy.OutputSize);
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a recurrent actor: a GRU over the input sequence followed by a dense head that writes the logits.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has an empty or duplicate input or output name.</exception>
    /// <exception cref="ArgumentException">The policy has static features (export it with <see cref="ExportPacked"/>).</exception>
    public static byte[] Export(GruPolicyWeights policy, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.StaticSize != 0)
        {
            throw new ArgumentException($"The policy reads {policy.StaticSize} static features next to its sequence; this graph has only a sequence input. Export it with {nameof(ExportPacked)}, which reads one packed observation.", nameof(policy));
        }

        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: true, critic: false);
        var writer = new OnnxGraphWriter(options.GraphName);
        writer.AddInput(options.SequenceInputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Symbolic(SequenceSymbol), Dim.Fixed(policy.InputSize));
        if (options.IncludeSequenceLengths)
        {
            writer.AddInput(options.SequenceLengthsInputName, DataType.Int32, Dim.Symbolic(BatchSymbol));
        }

        string lengths = options.IncludeSequenceLengths ? options.SequenceLengthsInputName : string.Empty;
        WriteGru(writer, policy, options.SequenceInputName, lengths, "gru.hidden");
        WriteDense(writer, policy.Head, "head", "gru.hidden", options.LogitsOutputName);
        WriteActorOutputs(writer, options, policy.ActionCount);
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a recurrent actor over a packed observation: static features, the number of valid sequence steps,
    /// then the steps (the layout of PromptKit.Training's <c>GruPolicyNetwork</c>), so that <c>OnnxPolicy</c> (PromptKit.OnnxRuntime)
    /// runs it like any feed-forward actor.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="sequenceLength">The number of sequence steps the observation holds.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model: input <see cref="OnnxExportOptions.ObservationInputName"/> float
    /// [batch, <see cref="GruPolicyWeights.StaticSize"/> + 1 + <paramref name="sequenceLength"/> ×
    /// <see cref="GruPolicyWeights.InputSize"/>], outputs as for a feed-forward actor.</returns>
    /// <remarks>The valid-step count is rounded and clamped to [0, <paramref name="sequenceLength"/>]; steps past it are
    /// ignored, and a count of 0 encodes the sequence as the zero vector.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is not positive, or the observation would be too long.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has an empty or duplicate input or output name.</exception>
    public static byte[] ExportPacked(GruPolicyWeights policy, int sequenceLength, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: false, critic: false);
        OnnxGraphWriter writer = WritePackedEncoder(policy, sequenceLength, options);
        WriteDense(writer, policy.Head, "head", "packed.features", options.LogitsOutputName);
        WriteActorOutputs(writer, options, policy.ActionCount);
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a pointer (additive attention) actor over a flat observation of a context, progress features and
    /// element blocks, laid out as <see cref="PointerPolicyWeights"/> describes.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model: input <see cref="OnnxExportOptions.ObservationInputName"/> float
    /// [batch, <see cref="PointerPolicyWeights.ObservationSize"/>]; outputs <see cref="OnnxExportOptions.LogitsOutputName"/>
    /// float [batch, <see cref="PointerPolicyWeights.ActionCount"/>] (the element scores, then the stop logit) and, unless
    /// disabled, <see cref="OnnxExportOptions.ProbabilitiesOutputName"/>, as for a feed-forward actor.</returns>
    /// <remarks>The graph does not mask invalid elements; apply the action mask to the logits, as the trainers do.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has an empty or duplicate input or output name.</exception>
    public static byte[] Export(PointerPolicyWeights policy, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: false, critic: false);
        int d = policy.ContextSize;
        int q = d + policy.ProgressSize;
        int block = d + policy.ElementFeatureSize;
        int h = policy.HiddenSize;
        string observation = options.ObservationInputName;
        var writer = new OnnxGraphWriter(options.GraphName);
        writer.AddInput(observation, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(policy.ObservationSize));

        // Unpack [c | p | blocks]: q = [c ; p] [batch, D + P], c [batch, D], blocks [batch, E, D + F].
        const string Columns = "pointer.axis1", Features = "pointer.axis2";
        writer.AddInt64Initializer(Columns, [1], 1);
        writer.AddInt64Initializer(Features, [2], 1);
        WriteSlice(writer, observation, "pointer.query", 0, q, Columns);
        WriteSlice(writer, observation, "pointer.context", 0, d, Columns);
        WriteSlice(writer, observation, "pointer.elements_flat", q, policy.ObservationSize, Columns);
        writer.AddInt64Initializer("pointer.elements_shape", [-1, policy.MaxElements, block], 3);
        writer.AddNode("Reshape", "pointer_elements_reshape", ["pointer.elements_flat", "pointer.elements_shape"], ["pointer.elements"]);
        WriteSlice(writer, "pointer.elements", "pointer.encodings", 0, d, Features);
        WriteSlice(writer, "pointer.elements", "pointer.validity", d, d + 1, Features);

        // k_i = [e_i ; g_i ; e_i ⊙ c]: the block itself, then the product with the context.
        writer.AddNode("Unsqueeze", "pointer_context_unsqueeze", ["pointer.context", Columns], ["pointer.context_row"]);
        writer.AddNode("Mul", "pointer_products", ["pointer.encodings", "pointer.context_row"], ["pointer.products"]);
        writer.AddNode("Concat", "pointer_keys_concat", ["pointer.elements", "pointer.products"], ["pointer.keys"])
            .Attribute.Add(IntAttribute("axis", 2));

        // h_i = tanh(W_k·k_i + W_q·q + b_k + b_q): MatMul by W_kᵀ over [batch, E, 2D + F], Gemm for the query.
        DenseLayerWeights key = policy.ElementProjection, query = policy.QueryProjection;
        writer.AddFloatInitializer("pointer.key.weight_t", Transpose(key.Weights.AsSpan(), h, key.InputSize), key.InputSize, h);
        writer.AddNode("MatMul", "pointer_key_matmul", ["pointer.keys", "pointer.key.weight_t"], ["pointer.key_projection"]);
        float[] bias = new float[h];
        for (int i = 0; i < h; i++)
        {
            bias[i] = key.Bias[i] + query.Bias[i];
        }

        writer.AddFloatInitializer("pointer.query.weight", query.Weights.AsSpan(), h, q);
        writer.AddFloatInitializer("pointer.query.bias", bias, h);
        writer.AddNode("Gemm", "pointer_query_gemm", ["pointer.query", "pointer.query.weight", "pointer.query.bias"], ["pointer.query_projection"])
            .Attribute.Add(IntAttribute("transB", 1));
        writer.AddNode("Unsqueeze", "pointer_query_unsqueeze", ["pointer.query_projection", Columns], ["pointer.query_row"]);
        writer.AddNode("Add", "pointer_attention_add", ["pointer.key_projection", "pointer.query_row"], ["pointer.attention_linear"]);
        writer.AddNode("Tanh", "pointer_attention_tanh", ["pointer.attention_linear"], ["pointer.attention"]);

        // score_i = v·h_i + b_v → [batch, E].
        writer.AddFloatInitializer("pointer.score.weight_t", policy.Score.Weights.AsSpan(), h, 1);
        writer.AddFloatInitializer("pointer.score.bias", policy.Score.Bias.AsSpan(), 1);
        writer.AddNode("MatMul", "pointer_score_matmul", ["pointer.attention", "pointer.score.weight_t"], ["pointer.score_column"]);
        writer.AddNode("Add", "pointer_score_add", ["pointer.score_column", "pointer.score.bias"], ["pointer.score_biased"]);
        writer.AddNode("Squeeze", "pointer_score_squeeze", ["pointer.score_biased", Features], ["pointer.scores"]);

        // pooled = Σ m_i·h_i / max(Σ m_i, 1); stop = StopHead([q ; pooled]).
        writer.AddNode("Mul", "pointer_masked", ["pointer.attention", "pointer.validity"], ["pointer.masked"]);
        writer.AddNode("ReduceSum", "pointer_masked_sum", ["pointer.masked", Columns], ["pointer.masked_sum"])
            .Attribute.Add(IntAttribute("keepdims", 0));
        writer.AddNode("ReduceSum", "pointer_count", ["pointer.validity", Columns], ["pointer.count"])
            .Attribute.Add(IntAttribute("keepdims", 0));
        writer.AddFloatInitializer("pointer.one", [1f], 1);
        writer.AddNode("Max", "pointer_denominator", ["pointer.count", "pointer.one"], ["pointer.denominator"]);
        writer.AddNode("Div", "pointer_pooled", ["pointer.masked_sum", "pointer.denominator"], ["pointer.pooled"]);
        writer.AddNode("Concat", "pointer_stop_concat", ["pointer.query", "pointer.pooled"], ["pointer.stop_input"])
            .Attribute.Add(IntAttribute("axis", 1));
        WriteDense(writer, policy.StopHead, "pointer.stop", "pointer.stop_input", "pointer.stop");
        writer.AddNode("Concat", "pointer_logits_concat", ["pointer.scores", "pointer.stop"], [options.LogitsOutputName])
            .Attribute.Add(IntAttribute("axis", 1));
        WriteActorOutputs(writer, options, policy.ActionCount);
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a recurrent value function (critic) over a packed observation, laid out as for <see cref="ExportPacked"/>.</summary>
    /// <param name="critic">The critic's weights; its head's output size must be 1.</param>
    /// <param name="sequenceLength">The number of sequence steps the observation holds.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model, with output <see cref="OnnxExportOptions.ValueOutputName"/> of shape [batch, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="critic"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequenceLength"/> is not positive, or the observation would be too long.</exception>
    /// <exception cref="ArgumentException">The head's output size is not 1, or <paramref name="options"/> has an empty or duplicate input or output name.</exception>
    public static byte[] ExportPackedValueFunction(GruPolicyWeights critic, int sequenceLength, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(critic);
        RequireOneValue(critic.ActionCount, nameof(critic));

        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: false, critic: true);
        OnnxGraphWriter writer = WritePackedEncoder(critic, sequenceLength, options);
        WriteDense(writer, critic.Head, "head", "packed.features", options.ValueOutputName);
        writer.AddOutput(options.ValueOutputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(1));
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a feed-forward value function (critic) whose last layer writes one value.</summary>
    /// <param name="critic">The critic's weights; its output size must be 1.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model, with output <see cref="OnnxExportOptions.ValueOutputName"/> of shape [batch, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="critic"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The critic's output size is not 1, or <paramref name="options"/> has an empty or duplicate input or output name.</exception>
    public static byte[] ExportValueFunction(MlpPolicyWeights critic, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(critic);
        RequireOneValue(critic.OutputSize, nameof(critic));

        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: false, critic: true);
        var writer = new OnnxGraphWriter(options.GraphName);
        writer.AddInput(options.ObservationInputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(critic.InputSize));
        WriteDense(writer, critic, "layer", options.ObservationInputName, options.ValueOutputName);
        writer.AddOutput(options.ValueOutputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(1));
        return writer.ToModelBytes(OpsetVersion, IrVersion, options);
    }

    /// <summary>Exports a feed-forward actor to a file.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="path">The <c>.onnx</c> file to write (overwritten if it exists).</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space, or <paramref name="options"/> has an empty or duplicate name.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportToFile(MlpPolicyWeights policy, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, Export(policy, options));
    }

    /// <summary>Exports a recurrent actor to a file.</summary>
    /// <param name="policy">The actor's weights.</param>
    /// <param name="path">The <c>.onnx</c> file to write (overwritten if it exists).</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space, or <paramref name="options"/> has an empty or duplicate name.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void ExportToFile(GruPolicyWeights policy, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, Export(policy, options));
    }

    // Writes the GRU over a [batch, steps, features] input and its final hidden state [batch, hidden] as `output`.
    private static void WriteGru(OnnxGraphWriter writer, GruPolicyWeights policy, string input, string lengths, string output)
    {
        int h = policy.HiddenSize;

        // ONNX GRU with layout = 0 reads [sequence, batch, features]; ONNX Runtime does not implement layout = 1.
        writer.AddNode("Transpose", "gru_input_transpose", [input], ["gru.input"])
            .Attribute.Add(IntsAttribute("perm", 1, 0, 2));

        writer.AddFloatInitializer("gru.W", policy.InputWeights.AsSpan(), 1, 3L * h, policy.InputSize);
        writer.AddFloatInitializer("gru.R", policy.RecurrentWeights.AsSpan(), 1, 3L * h, h);
        float[] bias = new float[6 * h];
        policy.InputBias.CopyTo(bias, 0);
        policy.RecurrentBias.CopyTo(bias, 3 * h);
        writer.AddFloatInitializer("gru.B", bias, 1, 6L * h);
        NodeProto gru = writer.AddNode("GRU", "gru", ["gru.input", "gru.W", "gru.R", "gru.B", lengths], [string.Empty, "gru.last_hidden"]);
        gru.Attribute.Add(IntAttribute("hidden_size", h));
        gru.Attribute.Add(IntAttribute("linear_before_reset", policy.LinearBeforeReset ? 1 : 0));

        // Y_h is [num_directions = 1, batch, hidden]; Squeeze (opset 13+) takes the axes as an input.
        writer.AddInt64Initializer("gru.squeeze_axes", [0], 1);
        writer.AddNode("Squeeze", "gru_hidden_squeeze", ["gru.last_hidden", "gru.squeeze_axes"], [output]);
    }

    // Unpacks [static | count | steps] and writes the head's input [static | masked GRU encoding] as "packed.features".
    private static OnnxGraphWriter WritePackedEncoder(GruPolicyWeights policy, int sequenceLength, OnnxExportOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        long observationSize = policy.StaticSize + 1 + ((long)sequenceLength * policy.InputSize);
        if (observationSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"{sequenceLength} steps of {policy.InputSize} features make an observation longer than {int.MaxValue} values.");
        }

        var writer = new OnnxGraphWriter(options.GraphName);
        string observation = options.ObservationInputName;
        int s = policy.StaticSize;
        writer.AddInput(observation, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(observationSize));
        writer.AddInt64Initializer("packed.axis", [1], 1);
        WriteSlice(writer, observation, "packed.count_raw", s, s + 1);
        WriteSlice(writer, observation, "packed.steps_flat", s + 1, observationSize);
        writer.AddInt64Initializer("packed.steps_shape", [-1, sequenceLength, policy.InputSize], 3);
        writer.AddNode("Reshape", "packed_steps_reshape", ["packed.steps_flat", "packed.steps_shape"], ["packed.steps"]);

        // The count as GruPolicyNetwork reads it: rounded and clamped to [0, steps]. ONNX GRU needs each length ≥ 1,
        // so the GRU runs at least one step and a count of 0 masks its encoding to zero afterwards.
        writer.AddNode("Round", "packed_count_round", ["packed.count_raw"], ["packed.count"]);
        writer.AddFloatInitializer("packed.one", [1f]);
        writer.AddFloatInitializer("packed.steps_max", [sequenceLength]);
        writer.AddFloatInitializer("packed.half", [0.5f]);
        writer.AddNode("Clip", "packed_length_clip", ["packed.count", "packed.one", "packed.steps_max"], ["packed.length_float"]);
        writer.AddNode("Squeeze", "packed_length_squeeze", ["packed.length_float", "packed.axis"], ["packed.length_vector"]);
        writer.AddNode("Cast", "packed_length_cast", ["packed.length_vector"], ["packed.lengths"])
            .Attribute.Add(IntAttribute("to", (long)DataType.Int32));
        WriteGru(writer, policy, "packed.steps", "packed.lengths", "packed.hidden");
        writer.AddNode("Greater", "packed_nonempty", ["packed.count", "packed.half"], ["packed.nonempty"]);
        writer.AddNode("Cast", "packed_mask_cast", ["packed.nonempty"], ["packed.mask"])
            .Attribute.Add(IntAttribute("to", (long)DataType.Float));
        if (s == 0)
        {
            writer.AddNode("Mul", "packed_mask", ["packed.hidden", "packed.mask"], ["packed.features"]);
        }
        else
        {
            writer.AddNode("Mul", "packed_mask", ["packed.hidden", "packed.mask"], ["packed.encoding"]);
            WriteSlice(writer, observation, "packed.static", 0, s);
            writer.AddNode("Concat", "packed_concat", ["packed.static", "packed.encoding"], ["packed.features"])
                .Attribute.Add(IntAttribute("axis", 1));
        }

        return writer;
    }

    // Slices [start, end) along one axis (by default the columns of a packed [batch, n] observation).
    private static void WriteSlice(OnnxGraphWriter writer, string input, string output, long start, long end, string axes = "packed.axis")
    {
        writer.AddInt64Initializer(output + ".starts", [start], 1);
        writer.AddInt64Initializer(output + ".ends", [end], 1);
        writer.AddNode("Slice", output.Replace('.', '_') + "_slice", [input, output + ".starts", output + ".ends", axes], [output]);
    }

    // Transposes a row-major [rows, columns] matrix.
    private static float[] Transpose(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        float[] transposed = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }

    private static void WriteDense(OnnxGraphWriter writer, MlpPolicyWeights weights, string prefix, string input, string output)
    {
        string current = input;
        for (int i = 0; i < weights.Layers.Length; i++)
        {
            DenseLayerWeights layer = weights.Layers[i];
            string name = string.Create(CultureInfo.InvariantCulture, $"{prefix}.{i}");
            bool last = i == weights.Layers.Length - 1;
            string affine = last && layer.Activation == DenseActivation.None ? output : name + ".linear";
            writer.AddFloatInitializer(name + ".weight", layer.Weights.AsSpan(), layer.OutputSize, layer.InputSize);
            writer.AddFloatInitializer(name + ".bias", layer.Bias.AsSpan(), layer.OutputSize);

            // Gemm: Y = X · Wᵀ + b, with W stored [out, in] like PyTorch's Linear.weight.
            writer.AddNode("Gemm", name + ".gemm", [current, name + ".weight", name + ".bias"], [affine])
                .Attribute.Add(IntAttribute("transB", 1));
            current = affine;
            if (layer.Activation != DenseActivation.None)
            {
                string activated = last ? output : name + ".activation";
                string op = layer.Activation == DenseActivation.Relu ? "Relu" : "Tanh";
                writer.AddNode(op, name + "." + op.ToLowerInvariant(), [affine], [activated]);
                current = activated;
            }
        }
    }

    private static void RequireOneValue(int outputs, string paramName)
    {
        if (outputs != 1)
        {
            throw new ArgumentException($"A value function writes one value, but the last layer has {outputs} outputs.", paramName);
        }
    }

    private static void WriteActorOutputs(OnnxGraphWriter writer, OnnxExportOptions options, int actionCount)
    {
        writer.AddOutput(options.LogitsOutputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(actionCount));
        if (!string.IsNullOrEmpty(options.ProbabilitiesOutputName))
        {
            writer.AddNode("Softmax", "softmax", [options.LogitsOutputName], [options.ProbabilitiesOutputName])
                .Attribute.Add(IntAttribute("axis", -1));
            writer.AddOutput(options.ProbabilitiesOutputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Fixed(actionCount));
        }
    }

    private static void ValidateNames(OnnxExportOptions options, bool recurrent, bool critic)
    {
        var names = new List<(string Property, string? Value)>();
        if (recurrent)
        {
            names.Add((nameof(options.SequenceInputName), options.SequenceInputName));
            if (options.IncludeSequenceLengths)
            {
                names.Add((nameof(options.SequenceLengthsInputName), options.SequenceLengthsInputName));
            }
        }
        else
        {
            names.Add((nameof(options.ObservationInputName), options.ObservationInputName));
        }

        if (critic)
        {
            names.Add((nameof(options.ValueOutputName), options.ValueOutputName));
        }
        else
        {
            names.Add((nameof(options.LogitsOutputName), options.LogitsOutputName));
            if (!string.IsNullOrEmpty(options.ProbabilitiesOutputName))
            {
                names.Add((nameof(options.ProbabilitiesOutputName), options.ProbabilitiesOutputName));
            }
        }

        var errors = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string property, string? value) in names)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{property} is empty");
            }
            else if (value.Contains('.', StringComparison.Ordinal))
            {
                errors.Add($"{property} '{value}' contains '.', which is reserved for the exporter's internal value names");
            }
            else if (!seen.TryAdd(value, property))
            {
                errors.Add($"{property} and {seen[value]} are both '{value}'");
            }
        }

        if (string.IsNullOrWhiteSpace(options.GraphName))
        {
            errors.Add($"{nameof(options.GraphName)} is empty");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"The export options are invalid: {string.Join("; ", errors)}. Give every input and output a distinct, non-empty name.", nameof(options));
        }
    }
}
