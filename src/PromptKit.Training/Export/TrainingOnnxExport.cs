using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training;

/// <summary>Exports trained networks to ONNX through <see cref="OnnxPolicyExporter"/>, so that production inference runs
/// on ONNX Runtime (<c>OnnxPolicy</c>, <c>OnnxValueFunction</c>) without TorchSharp.</summary>
public static class TrainingOnnxExport
{
    /// <summary>Copies an MLP's trained weights into the exporter's weight model.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The weights, one dense layer per linear layer, with the network's activation after each hidden layer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    public static MlpPolicyWeights ToPolicyWeights(this MlpNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var linears = new List<Linear>(network.LinearLayers);

        DenseActivation hidden = network.Activation == MlpActivation.Relu ? DenseActivation.Relu : DenseActivation.Tanh;
        var layers = new List<DenseLayerWeights>(linears.Count);
        for (int i = 0; i < linears.Count; i++)
        {
            layers.Add(ToDenseLayer(linears[i], i == linears.Count - 1 ? DenseActivation.None : hidden));
        }

        return new MlpPolicyWeights(layers);
    }

    /// <summary>Copies a <see cref="PointerPolicyNetwork"/>'s trained weights into the exporter's pointer weight model
    /// (the query projection, which has no bias, gets a zero bias).</summary>
    /// <param name="network">The network.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    public static PointerPolicyWeights ToPolicyWeights(this PointerPolicyNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new PointerPolicyWeights(
            network.ContextSize,
            network.ProgressSize,
            network.ElementFeatureSize,
            network.MaxElements,
            ToDenseLayer(network.ElementProjection, DenseActivation.None),
            ToDenseLayer(network.QueryProjection, DenseActivation.None),
            ToDenseLayer(network.Score, DenseActivation.None),
            network.StopHead.ToPolicyWeights());
    }

    /// <summary>Copies a <see cref="GruPolicyNetwork"/>'s trained weights into the exporter's GRU weight model (gates
    /// reordered from PyTorch's r, z, n to ONNX's z, r, h; reset applied after the linear map, as PyTorch does; the
    /// network's static features become <see cref="GruPolicyWeights.StaticSize"/>).</summary>
    /// <param name="network">The network.</param>
    /// <returns>The weights.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    public static GruPolicyWeights ToPolicyWeights(this GruPolicyNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int hidden = network.Encoder.HiddenSize;
        var parameters = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in network.Encoder.Gru.named_parameters())
            {
                float[] values = ToFloats(parameter);
                var reordered = new float[values.Length];
                GruPolicyWeights.ReorderPyTorchGates(values, hidden, reordered);
                parameters[name] = reordered;
            }
        }

        return new GruPolicyWeights(
            network.FeatureSize,
            hidden,
            parameters["weight_ih_l0"],
            parameters["weight_hh_l0"],
            parameters["bias_ih_l0"],
            parameters["bias_hh_l0"],
            linearBeforeReset: true,
            network.Head.ToPolicyWeights(),
            network.StaticSize);
    }

    /// <summary>Exports one agent's actor as an ONNX model: an <see cref="MlpNetwork"/>, a <see cref="PointerPolicyNetwork"/>,
    /// or a <see cref="GruPolicyNetwork"/> with static features, reads the flat <c>observation</c> (the same vector the trainer fed it); a sequence-only
    /// <see cref="GruPolicyNetwork"/> reads <c>sequence</c> <c>[batch, steps, features]</c> and (with the default options)
    /// <c>sequence_lengths</c>; all write <c>logits</c> and <c>probabilities</c>.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="agent">The agent index.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agent"/> is not an agent index.</exception>
    /// <exception cref="NotSupportedException">The actor is not an <see cref="MlpNetwork"/>, a <see cref="GruPolicyNetwork"/> or a <see cref="PointerPolicyNetwork"/>.</exception>
    public static byte[] ExportActorToOnnx(this ActorCriticModel model, int agent, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GetActor(agent) switch
        {
            GruPolicyNetwork { StaticSize: > 0 } packed => OnnxPolicyExporter.ExportPacked(packed.ToPolicyWeights(), packed.SequenceLength, options),
            GruPolicyNetwork recurrent => OnnxPolicyExporter.Export(recurrent.ToPolicyWeights(), options ?? new OnnxExportOptions { IncludeSequenceLengths = true }),
            PointerPolicyNetwork pointer => OnnxPolicyExporter.Export(pointer.ToPolicyWeights(), options),
            var network => OnnxPolicyExporter.Export(AsMlp(network, $"actor {agent}").ToPolicyWeights(), options),
        };
    }

    /// <summary>Exports the critic as an ONNX model (input <c>observation</c>, output <c>value</c>); a
    /// <see cref="GruPolicyNetwork"/> critic reads the packed observation even when it has no static features, unlike a
    /// sequence-only GRU actor, whose graph reads <c>sequence</c>.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="options">Names and metadata, or <see langword="null"/> for the defaults.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The critic is neither an <see cref="MlpNetwork"/> nor a <see cref="GruPolicyNetwork"/>.</exception>
    public static byte[] ExportCriticToOnnx(this ActorCriticModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Critic is GruPolicyNetwork recurrent
            ? OnnxPolicyExporter.ExportPackedValueFunction(recurrent.ToPolicyWeights(), recurrent.SequenceLength, options)
            : OnnxPolicyExporter.ExportValueFunction(AsMlp(model.Critic, "critic").ToPolicyWeights(), options);
    }

    /// <summary>Writes every actor to <c>actor-{agent}.onnx</c> and the critic to <c>critic.onnx</c> in a folder,
    /// each atomically (a temporary file renamed over the target).</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="directory">The folder; created when missing.</param>
    /// <returns>The paths written, actors first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="NotSupportedException">A network is neither an <see cref="MlpNetwork"/> nor a <see cref="GruPolicyNetwork"/>.</exception>
    public static IReadOnlyList<string> ExportToOnnx(this ActorCriticModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>(model.AgentCount + 1);
        for (int agent = 0; agent < model.AgentCount; agent++)
        {
            paths.Add(WriteAtomically(Path.Combine(directory, $"actor-{agent}.onnx"), model.ExportActorToOnnx(agent)));
        }

        paths.Add(WriteAtomically(Path.Combine(directory, "critic.onnx"), model.ExportCriticToOnnx()));
        return paths;
    }

    // A linear layer's weight [out, in] and bias (zeros when it has none) as float32 copies.
    private static DenseLayerWeights ToDenseLayer(Linear linear, DenseActivation activation)
    {
        using var noGrad = no_grad();
        Tensor weight = linear.weight!;
        float[] weights = ToFloats(weight);
        float[] bias = linear.bias is null ? new float[weight.shape[0]] : ToFloats(linear.bias);
        return new DenseLayerWeights((int)weight.shape[1], (int)weight.shape[0], weights, bias, activation);
    }

    private static float[] ToFloats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    private static string WriteAtomically(string path, byte[] bytes)
    {
        AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    private static MlpNetwork AsMlp(nn.Module<Tensor, Tensor> network, string what) =>
        network as MlpNetwork ?? throw new NotSupportedException($"The {what} is a {network.GetType().Name}; ONNX export supports {nameof(MlpNetwork)} networks here. Export other networks with TorchSharp's own tools or build an {nameof(MlpPolicyWeights)}/{nameof(GruPolicyWeights)}/{nameof(PointerPolicyWeights)} yourself.");
}
