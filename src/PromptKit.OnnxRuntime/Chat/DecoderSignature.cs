using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace PromptKit.OnnxRuntime;

/// <summary>The inputs and outputs of a decoder-only model, read once from its session: which optional inputs it has, and its KV-cache layout.</summary>
internal sealed class DecoderSignature
{
    /// <summary>The boolean input of Optimum's merged decoders that says whether the past inputs hold a cache.</summary>
    internal const string UseCacheBranchName = "use_cache_branch";

    private DecoderSignature(string[] inputNames, string[] outputNames, bool hasPositionIds, bool hasUseCacheBranch, int layers, int heads, int headSize)
    {
        InputNames = inputNames;
        OutputNames = outputNames;
        HasPositionIds = hasPositionIds;
        HasUseCacheBranch = hasUseCacheBranch;
        LayerCount = layers;
        HeadCount = heads;
        HeadSize = headSize;
    }

    /// <summary>Gets the input names in the order the values are fed: ids, mask, [positions], [use_cache_branch], then past key/value per layer.</summary>
    public string[] InputNames { get; }

    /// <summary>Gets the output names in the order they are read: logits, then present key/value per layer.</summary>
    public string[] OutputNames { get; }

    /// <summary>Gets a value indicating whether the model takes position ids.</summary>
    public bool HasPositionIds { get; }

    /// <summary>Gets a value indicating whether the model takes Optimum's <c>use_cache_branch</c> flag.</summary>
    public bool HasUseCacheBranch { get; }

    /// <summary>Gets the number of layers with past inputs; 0 when the model has no KV cache.</summary>
    public int LayerCount { get; }

    /// <summary>Gets a value indicating whether the model has a KV cache.</summary>
    public bool HasCache => LayerCount > 0;

    /// <summary>Gets the number of key/value heads of the cache (0 without a cache).</summary>
    public int HeadCount { get; }

    /// <summary>Gets the size of one key/value head (0 without a cache).</summary>
    public int HeadSize { get; }

    /// <summary>Reads and checks the signature of a decoder model.</summary>
    /// <exception cref="ModelLoadException">A required input or output is missing, has the wrong element type or an unusable shape, or the model has an input the client cannot feed.</exception>
    public static DecoderSignature Read(InferenceSession session, OnnxChatClientOptions options, string modelName)
    {
        IReadOnlyDictionary<string, NodeMetadata> inputs = session.InputMetadata;
        IReadOnlyDictionary<string, NodeMetadata> outputs = session.OutputMetadata;

        int layers = 0;
        while (inputs.ContainsKey(LayerName(options.PastKeyNameFormat, layers)))
        {
            layers++;
        }

        var expectedInputs = new List<string> { options.InputIdsName, options.AttentionMaskName };
        var expectedOutputs = new List<string> { options.LogitsName };
        bool hasPositions = inputs.ContainsKey(options.PositionIdsName);
        bool hasUseCacheBranch = layers > 0 && inputs.ContainsKey(UseCacheBranchName);
        if (hasPositions)
        {
            expectedInputs.Add(options.PositionIdsName);
        }

        if (hasUseCacheBranch)
        {
            expectedInputs.Add(UseCacheBranchName);
        }

        for (int i = 0; i < layers; i++)
        {
            expectedInputs.Add(LayerName(options.PastKeyNameFormat, i));
            expectedInputs.Add(LayerName(options.PastValueNameFormat, i));
            expectedOutputs.Add(LayerName(options.PresentKeyNameFormat, i));
            expectedOutputs.Add(LayerName(options.PresentValueNameFormat, i));
        }

        OnnxSessionFactory.EnsureSignature(session, expectedInputs, expectedOutputs, modelName);

        var problems = new List<string>();
        var unknown = inputs.Keys.Where(n => !expectedInputs.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"it has input(s) [{string.Join(", ", unknown)}] that a decoder client cannot feed (it feeds only [{string.Join(", ", expectedInputs)}]; check the *Name options)");
        }

        CheckType(problems, inputs, options.InputIdsName, TensorElementType.Int64);
        CheckType(problems, inputs, options.AttentionMaskName, TensorElementType.Int64);
        if (hasPositions)
        {
            CheckType(problems, inputs, options.PositionIdsName, TensorElementType.Int64);
        }

        if (hasUseCacheBranch)
        {
            CheckType(problems, inputs, UseCacheBranchName, TensorElementType.Bool);
        }

        CheckType(problems, outputs, options.LogitsName, TensorElementType.Float);
        if (outputs[options.LogitsName].Dimensions.Length != 3)
        {
            problems.Add($"output '{options.LogitsName}' has rank {outputs[options.LogitsName].Dimensions.Length}, expected 3 ([batch, sequence, vocabulary])");
        }

        int heads = 0;
        int headSize = 0;
        if (layers > 0)
        {
            int[] dims = inputs[LayerName(options.PastKeyNameFormat, 0)].Dimensions;
            if (dims.Length == 4 && dims[1] > 0 && dims[3] > 0)
            {
                heads = dims[1];
                headSize = dims[3];
            }
            else
            {
                problems.Add($"past input '{LayerName(options.PastKeyNameFormat, 0)}' has shape [{string.Join(", ", dims)}]; expected [batch, heads, past, head size] with fixed heads and head size");
            }

            for (int i = 0; i < layers; i++)
            {
                CheckType(problems, inputs, LayerName(options.PastKeyNameFormat, i), TensorElementType.Float);
                CheckType(problems, inputs, LayerName(options.PastValueNameFormat, i), TensorElementType.Float);
                CheckType(problems, outputs, LayerName(options.PresentKeyNameFormat, i), TensorElementType.Float);
                CheckType(problems, outputs, LayerName(options.PresentValueNameFormat, i), TensorElementType.Float);
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelLoadException(
                $"The ONNX model '{modelName}' cannot be served as a decoder-only chat model: {string.Join("; ", problems)}. " +
                $"Expected inputs [{string.Join(", ", expectedInputs)}] and outputs [{string.Join(", ", expectedOutputs)}] (int64 ids, mask and positions; float logits and cache).",
                modelName);
        }

        return new DecoderSignature([.. expectedInputs], [.. expectedOutputs], hasPositions, hasUseCacheBranch, layers, heads, headSize);
    }

    private static string LayerName(string format, int layer) => string.Format(CultureInfo.InvariantCulture, format, layer);

    private static void CheckType(List<string> problems, IReadOnlyDictionary<string, NodeMetadata> nodes, string name, TensorElementType expected)
    {
        NodeMetadata node = nodes[name];
        if (!node.IsTensor || node.ElementDataType != expected)
        {
            problems.Add($"'{name}' has element type {node.ElementDataType}, expected {expected}");
        }
    }
}
