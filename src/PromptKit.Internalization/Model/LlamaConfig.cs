using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromptKit.Internalization;

/// <summary>The shape of a Llama-family decoder-only transformer (RMSNorm, rotary positions, SwiGLU, grouped-query
/// attention, tied or untied embeddings), as a Hugging Face <c>config.json</c> describes it.</summary>
/// <remarks>Architectures read: <c>LlamaForCausalLM</c> (Llama 2/3, TinyLlama, SmolLM), <c>MistralForCausalLM</c>
/// (full attention, so the context is limited to the sliding window) and <c>Qwen2ForCausalLM</c> (bias on the query,
/// key and value projections). Property names follow .NET; <see cref="FromJson"/> and <see cref="ToJson"/> use the Hugging
/// Face names.</remarks>
public sealed class LlamaConfig
{
    /// <summary>The architectures this library reads.</summary>
    public static readonly IReadOnlyList<string> SupportedArchitectures = ["LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"];

    /// <summary>Gets the Hugging Face architecture name (<c>architectures[0]</c>).</summary>
    /// <value>The default value is <c>LlamaForCausalLM</c>.</value>
    public string Architecture { get; init; } = "LlamaForCausalLM";

    /// <summary>Gets the number of tokens in the vocabulary (<c>vocab_size</c>).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Gets the width of the residual stream (<c>hidden_size</c>).</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Gets the width of the SwiGLU feed-forward layer (<c>intermediate_size</c>).</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Gets the number of decoder layers (<c>num_hidden_layers</c>).</summary>
    public required int LayerCount { get; init; }

    /// <summary>Gets the number of query heads (<c>num_attention_heads</c>).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Gets the number of key/value heads (<c>num_key_value_heads</c>); fewer than <see cref="HeadCount"/> is grouped-query attention.</summary>
    public required int KeyValueHeadCount { get; init; }

    /// <summary>Gets the size of one head (<c>head_dim</c>; <see cref="HiddenSize"/> / <see cref="HeadCount"/> when the file has none).</summary>
    public required int HeadSize { get; init; }

    /// <summary>Gets the epsilon of the RMS norms (<c>rms_norm_eps</c>).</summary>
    /// <value>The default value is 1e-6.</value>
    public double RmsNormEpsilon { get; init; } = 1e-6;

    /// <summary>Gets the base of the rotary frequencies (<c>rope_theta</c>).</summary>
    /// <value>The default value is 10000.</value>
    public double RopeTheta { get; init; } = 10_000;

    /// <summary>Gets the rotary frequency rescaling (<c>rope_scaling</c>), or <see langword="null"/> for none.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Gets the longest sequence the model takes (<c>max_position_embeddings</c>, capped by a Mistral sliding window).</summary>
    /// <value>The default value is 2048.</value>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Gets a value indicating whether the output head shares the token embedding (<c>tie_word_embeddings</c>).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Gets a value indicating whether the attention projections have a bias (<c>attention_bias</c>: q, k, v and o
    /// for Llama and Mistral; Qwen2 always has it on q, k and v only).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Gets a value indicating whether the feed-forward projections have a bias (<c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Gets the beginning-of-sequence token id (<c>bos_token_id</c>), or <see langword="null"/>.</summary>
    public int? BeginningOfSequenceTokenId { get; init; }

    /// <summary>Gets the end-of-sequence token ids (<c>eos_token_id</c>, a number or a list).</summary>
    public IReadOnlyList<int> EndOfSequenceTokenIds { get; init; } = [];

    /// <summary>Gets the number of query heads that share one key/value head.</summary>
    public int HeadsPerKeyValueHead => HeadCount / KeyValueHeadCount;

    /// <summary>Gets the number of parameters of a model of this shape (biases and norms included; a tied head counted once).</summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)HeadCount * HeadSize, kv = (long)KeyValueHeadCount * HeadSize, i = IntermediateSize;
            long attention = (h * q) + (2 * h * kv) + (q * h) + (AttentionBias ? q + (2 * kv) + (Architecture == "Qwen2ForCausalLM" ? 0 : h) : 0);
            long mlp = (3 * h * i) + (MlpBias ? (2 * i) + h : 0);
            long layer = attention + mlp + (2 * h);
            long embedding = (long)VocabularySize * h;
            return embedding + (LayerCount * layer) + h + (TieWordEmbeddings ? 0 : embedding);
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> file.</summary>
    /// <param name="path">The file, or the checkpoint folder that holds <c>config.json</c>.</param>
    /// <returns>The checked configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is not valid JSON, misses a required entry, or describes an architecture or option this library does not run.</exception>
    public static LlamaConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = Directory.Exists(path) ? System.IO.Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"The model configuration '{System.IO.Path.GetFullPath(file)}' does not exist.", file);
        }

        return FromJson(File.ReadAllText(file), file);
    }

    /// <summary>Parses the text of a Hugging Face <c>config.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where the text came from, for error messages, or <see langword="null"/>.</param>
    /// <returns>The checked configuration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelFormatException">The text is not valid JSON, misses a required entry, or describes an architecture or option this library does not run.</exception>
    public static LlamaConfig FromJson(string json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return Parse(json, source);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or OverflowException)
        {
            throw new ModelFormatException($"'{source ?? "config.json"}' has an entry of the wrong type: {e.Message}", source, e);
        }
    }

    private static LlamaConfig Parse(string json, string? source)
    {
        string where = source ?? "config.json";
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new ModelFormatException($"'{where}' is not a JSON object.", source);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{where}' is not valid JSON: {e.Message}", source, e);
        }

        string architecture = root["architectures"] is JsonArray { Count: > 0 } architectures
            ? architectures[0]!.GetValue<string>()
            : root["model_type"]?.GetValue<string>() switch
            {
                "llama" => "LlamaForCausalLM",
                "mistral" => "MistralForCausalLM",
                "qwen2" => "Qwen2ForCausalLM",
                var other => throw new ModelFormatException($"'{where}' names no architecture this library runs (model_type '{other}'); supported: {string.Join(", ", SupportedArchitectures)}.", source),
            };
        if (!SupportedArchitectures.Contains(architecture))
        {
            throw new ModelFormatException($"'{where}' describes a {architecture}; this library runs {string.Join(", ", SupportedArchitectures)} (decoder-only Llama-family models).", source);
        }

        string activation = root["hidden_act"]?.GetValue<string>() ?? "silu";
        if (activation is not "silu" and not "swish")
        {
            throw new ModelFormatException($"'{where}' has hidden_act '{activation}'; the Llama family uses 'silu' (SwiGLU) and no other activation is implemented.", source);
        }

        if (root["use_sliding_window"]?.GetValue<bool>() == true)
        {
            throw new ModelFormatException($"'{where}' sets use_sliding_window; sliding-window attention is not implemented (only full causal attention).", source);
        }

        int hidden = Required(root, "hidden_size", where, source);
        int heads = Required(root, "num_attention_heads", where, source);
        int maxPositions = Optional(root, "max_position_embeddings") ?? 2048;
        if (architecture == "MistralForCausalLM" && Optional(root, "sliding_window") is int window && window < maxPositions)
        {
            maxPositions = window; // full attention equals Mistral's sliding window only up to the window
        }

        var config = new LlamaConfig
        {
            Architecture = architecture,
            VocabularySize = Required(root, "vocab_size", where, source),
            HiddenSize = hidden,
            IntermediateSize = Required(root, "intermediate_size", where, source),
            LayerCount = Required(root, "num_hidden_layers", where, source),
            HeadCount = heads,
            KeyValueHeadCount = Optional(root, "num_key_value_heads") ?? heads,
            HeadSize = Optional(root, "head_dim") ?? (heads > 0 ? hidden / heads : 0),
            RmsNormEpsilon = OptionalDouble(root, "rms_norm_eps") ?? 1e-6,
            RopeTheta = OptionalDouble(root, "rope_theta") ?? 10_000,
            RopeScaling = ReadRopeScaling(root["rope_scaling"], where, source),
            MaxPositionEmbeddings = maxPositions,
            TieWordEmbeddings = root["tie_word_embeddings"]?.GetValue<bool>() ?? false,
            AttentionBias = architecture == "Qwen2ForCausalLM" || (root["attention_bias"]?.GetValue<bool>() ?? false),
            MlpBias = root["mlp_bias"]?.GetValue<bool>() ?? false,
            BeginningOfSequenceTokenId = Optional(root, "bos_token_id"),
            EndOfSequenceTokenIds = root["eos_token_id"] switch
            {
                JsonArray ids => [.. ids.Select(static id => id!.GetValue<int>())],
                JsonValue id => [id.GetValue<int>()],
                _ => [],
            },
        };
        config.Validate(where, source);
        return config;
    }

    /// <summary>Writes this configuration as a Hugging Face <c>config.json</c> text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray(Architecture),
            ["model_type"] = Architecture switch { "MistralForCausalLM" => "mistral", "Qwen2ForCausalLM" => "qwen2", _ => "llama" },
            ["hidden_act"] = "silu",
            ["vocab_size"] = VocabularySize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = LayerCount,
            ["num_attention_heads"] = HeadCount,
            ["num_key_value_heads"] = KeyValueHeadCount,
            ["head_dim"] = HeadSize,
            ["rms_norm_eps"] = RmsNormEpsilon,
            ["rope_theta"] = RopeTheta,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["mlp_bias"] = MlpBias,
            ["bos_token_id"] = BeginningOfSequenceTokenId,
            ["eos_token_id"] = EndOfSequenceTokenIds.Count == 1 ? JsonValue.Create(EndOfSequenceTokenIds[0]) : new JsonArray([.. EndOfSequenceTokenIds.Select(static id => (JsonNode)id)]),
            ["torch_dtype"] = "float32",
        };
        if (RopeScaling is { } scaling)
        {
            root["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = scaling.Type,
                ["factor"] = scaling.Factor,
                ["low_freq_factor"] = scaling.LowFrequencyFactor,
                ["high_freq_factor"] = scaling.HighFrequencyFactor,
                ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
            };
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Checks that the shape is one a model can be built from.</summary>
    /// <exception cref="ModelFormatException">A size is not positive, the heads do not divide, or the rotary settings are unusable; the message lists every problem.</exception>
    public void Validate() => Validate("the model configuration", null);

    private void Validate(string where, string? source)
    {
        var problems = new List<string>();
        void Positive(int value, string name)
        {
            if (value <= 0)
            {
                problems.Add($"{name} must be positive (is {value})");
            }
        }

        Positive(VocabularySize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(LayerCount, "num_hidden_layers");
        Positive(HeadCount, "num_attention_heads");
        Positive(KeyValueHeadCount, "num_key_value_heads");
        Positive(HeadSize, "head_dim");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (HeadCount > 0 && KeyValueHeadCount > 0 && HeadCount % KeyValueHeadCount != 0)
        {
            problems.Add($"num_attention_heads ({HeadCount}) must be a multiple of num_key_value_heads ({KeyValueHeadCount})");
        }

        if (HeadSize % 2 != 0)
        {
            problems.Add($"head_dim ({HeadSize}) must be even for rotary positions");
        }

        if (!(RmsNormEpsilon > 0) || !(RopeTheta > 1))
        {
            problems.Add($"rms_norm_eps ({RmsNormEpsilon}) must be positive and rope_theta ({RopeTheta}) greater than 1");
        }

        if (!SupportedArchitectures.Contains(Architecture))
        {
            problems.Add($"architecture '{Architecture}' is not one of {string.Join(", ", SupportedArchitectures)}");
        }

        if (RopeScaling is { } s && (s.Type is not RopeScaling.Linear and not RopeScaling.Llama3 || !(s.Factor > 0)
            || (s.Type == RopeScaling.Llama3 && (!(s.HighFrequencyFactor > s.LowFrequencyFactor) || s.OriginalMaxPositionEmbeddings <= 0))))
        {
            problems.Add($"rope_scaling (type '{s.Type}', factor {s.Factor}) is unusable: types 'linear' and 'llama3' with a positive factor (llama3: high_freq_factor > low_freq_factor) are supported");
        }

        if (problems.Count > 0)
        {
            throw new ModelFormatException($"'{where}' cannot describe a model: {string.Join("; ", problems)}.", source);
        }
    }

    private static RopeScaling? ReadRopeScaling(JsonNode? node, string where, string? source)
    {
        if (node is not JsonObject scaling)
        {
            return null;
        }

        string type = (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default";
        if (type == "default")
        {
            return null;
        }

        if (type is not RopeScaling.Linear and not RopeScaling.Llama3)
        {
            throw new ModelFormatException($"'{where}' has rope_scaling type '{type}'; supported: none, 'linear' and 'llama3'.", source);
        }

        return new RopeScaling
        {
            Type = type,
            Factor = OptionalDouble(scaling, "factor") ?? throw new ModelFormatException($"'{where}' has rope_scaling without a factor.", source),
            LowFrequencyFactor = OptionalDouble(scaling, "low_freq_factor") ?? 1.0,
            HighFrequencyFactor = OptionalDouble(scaling, "high_freq_factor") ?? 4.0,
            OriginalMaxPositionEmbeddings = Optional(scaling, "original_max_position_embeddings") ?? 8192,
        };
    }

    private static int Required(JsonObject root, string name, string where, string? source) =>
        Optional(root, name) ?? throw new ModelFormatException($"'{where}' has no '{name}'.", source);

    private static int? Optional(JsonObject root, string name) => root[name] is JsonValue value ? value.GetValue<int>() : null;

    private static double? OptionalDouble(JsonObject root, string name) =>
        root[name] is JsonValue value ? value.GetValue<double>() : null;
}
