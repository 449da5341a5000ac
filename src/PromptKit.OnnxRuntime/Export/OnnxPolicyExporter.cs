using System.Globalization;
using PromptKit.OnnxProto;
using static PromptKit.OnnxGraphWriter;
using DataType = PromptKit.OnnxProto.TensorProto.Types.DataType;

namespace PromptKit;

/// <summary>Writes trained actor and critic weights as ONNX models that <see cref="OnnxPolicy"/>, ONNX Runtime and other ONNX tools can run.</summary>
/// <remarks>
/// <para>The files use ONNX IR version <see cref="IrVersion"/> and the default-domain operator set
/// <see cref="OpsetVersion"/>, with the operators <c>Gemm</c>, <c>Relu</c>, <c>Tanh</c>, <c>Softmax</c>, <c>Transpose</c>,
/// <c>GRU</c> and <c>Squeeze</c>. Weights are float initializers stored as little-endian <c>raw_data</c>. The batch
/// dimension is symbolic (<c>"batch"</c>), so one model serves any batch size.</para>
/// <para>Feed-forward actor (<see cref="Export(MlpPolicyWeights, OnnxExportOptions?)"/>): input
/// <c>observation</c> float [batch, observation size]; outputs <c>logits</c> float [batch, actions] and
/// <c>probabilities</c> (softmax over the last axis) float [batch, actions].</para>
/// <para>Recurrent actor (<see cref="Export(GruPolicyWeights, OnnxExportOptions?)"/>): input <c>sequence</c> float
/// [batch, sequence length, features] (the sequence length is symbolic too) and, with
/// <see cref="OnnxExportOptions.IncludeSequenceLengths"/>, <c>sequence_lengths</c> int32 [batch] (each between 1 and
/// the sequence length); the GRU's final hidden state (at each sequence's own last step) feeds the head; outputs as above.</para>
/// <para>Critic (<see cref="ExportValueFunction(MlpPolicyWeights, OnnxExportOptions?)"/>): input <c>observation</c>,
/// output <c>value</c> float [batch, 1].</para>
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
    public static byte[] Export(GruPolicyWeights policy, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new OnnxExportOptions();
        ValidateNames(options, recurrent: true, critic: false);
        int h = policy.HiddenSize;
        var writer = new OnnxGraphWriter(options.GraphName);
        writer.AddInput(options.SequenceInputName, DataType.Float, Dim.Symbolic(BatchSymbol), Dim.Symbolic(SequenceSymbol), Dim.Fixed(policy.InputSize));
        if (options.IncludeSequenceLengths)
        {
            writer.AddInput(options.SequenceLengthsInputName, DataType.Int32, Dim.Symbolic(BatchSymbol));
        }

        // ONNX GRU with layout = 0 reads [sequence, batch, features]; ONNX Runtime does not implement layout = 1.
        writer.AddNode("Transpose", "gru_input_transpose", [options.SequenceInputName], ["gru.input"])
            .Attribute.Add(IntsAttribute("perm", 1, 0, 2));

        writer.AddFloatInitializer("gru.W", policy.InputWeights.AsSpan(), 1, 3L * h, policy.InputSize);
        writer.AddFloatInitializer("gru.R", policy.RecurrentWeights.AsSpan(), 1, 3L * h, h);
        float[] bias = new float[6 * h];
        policy.InputBias.CopyTo(bias, 0);
        policy.RecurrentBias.CopyTo(bias, 3 * h);
        writer.AddFloatInitializer("gru.B", bias, 1, 6L * h);
        string lengths = options.IncludeSequenceLengths ? options.SequenceLengthsInputName : string.Empty;
        NodeProto gru = writer.AddNode("GRU", "gru", ["gru.input", "gru.W", "gru.R", "gru.B", lengths], [string.Empty, "gru.last_hidden"]);
        gru.Attribute.Add(IntAttribute("hidden_size", h));
        gru.Attribute.Add(IntAttribute("linear_before_reset", policy.LinearBeforeReset ? 1 : 0));

        // Y_h is [num_directions = 1, batch, hidden]; Squeeze (opset 13+) takes the axes as an input.
        writer.AddInt64Initializer("gru.squeeze_axes", [0], 1);
        writer.AddNode("Squeeze", "gru_hidden_squeeze", ["gru.last_hidden", "gru.squeeze_axes"], ["gru.hidden"]);
        WriteDense(writer, policy.Head, "head", "gru.hidden", options.LogitsOutputName);
        WriteActorOutputs(writer, options, policy.ActionCount);
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
        if (critic.OutputSize != 1)
        {
            throw new ArgumentException($"A value function writes one value, but the last layer has {critic.OutputSize} outputs.", nameof(critic));
        }

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
