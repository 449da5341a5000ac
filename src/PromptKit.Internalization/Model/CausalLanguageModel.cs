using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using PromptKit.OnnxRuntime;
using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>A Llama-family decoder-only causal language model in TorchSharp (float32, CPU): loaded from or saved to a
/// Hugging Face checkpoint folder, run for logits or generation, fine-tuned through LoRA adapters, optionally on an NF4
/// base (QLoRA).</summary>
/// <remarks>
/// <para>Weights are read and written as safetensors with Hugging Face tensor names, so a checkpoint such as SmolLM-135M,
/// Qwen2.5-0.5B or TinyLlama loads as it is (BF16/F16 weights are converted to float32). Adapters are saved in PEFT's
/// format (<c>adapter_model.safetensors</c> + <c>adapter_config.json</c>), so Python tooling loads them too.</para>
/// <para>Not thread-safe: one operation at a time. Dispose to free the native tensors.</para>
/// </remarks>
public sealed class CausalLanguageModel : IDisposable
{
    private const string WeightsFile = "model.safetensors";
    private const string ShardIndexFile = "model.safetensors.index.json";
    private const string AdapterWeightsFile = "adapter_model.safetensors";
    private const string AdapterConfigFile = "adapter_config.json";
    private const string PeftPrefix = "base_model.model.";

    private LoraOptions? _adapter;
    private bool _disposed;

    private CausalLanguageModel(LlamaConfig config)
    {
        Config = config;
        Network = new LlamaNetwork(config);
    }

    /// <summary>Gets the model's shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>Gets a value indicating whether the model has LoRA adapters.</summary>
    public bool HasAdapter => _adapter is not null;

    /// <summary>Gets a value indicating whether the adapters are merged into the base weights.</summary>
    public bool IsAdapterMerged => Network.Linears().Any(static l => l.Layer.IsMerged);

    /// <summary>Gets a value indicating whether the frozen base linear weights are stored as NF4 blocks.</summary>
    public bool IsQuantized => Network.Linears().Any(static l => l.Layer.IsQuantized);

    /// <summary>Gets the number of parameters (adapters included).</summary>
    public long ParameterCount => Config.ParameterCount + AdapterParameterCount;

    /// <summary>Gets the number of parameters the optimizer updates: the adapters when there are any, otherwise all.</summary>
    public long TrainableParameterCount => Network.parameters().Where(static p => p.requires_grad).Sum(static p => p.numel());

    /// <summary>Gets the bytes the weights occupy in memory (NF4 blocks count what they store).</summary>
    public long WeightBytes => Network.parameters().Sum(static p => p.numel() * sizeof(float))
        + Network.Linears().Where(static l => l.Layer.IsQuantized).Sum(static l => l.Layer.BaseWeightBytes);

    internal LlamaNetwork Network { get; }

    internal DropoutSource DropoutSource { get; } = new();

    /// <summary>Serializes model use: generation and training must not run on one model at once.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Gets the adapter settings as text (for checkpoint fingerprints), or "none".</summary>
    internal string AdapterDescription => _adapter is null
        ? "none"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{_adapter.Rank},a{_adapter.Alpha},d{_adapter.Dropout},s{_adapter.Seed},{string.Join('+', _adapter.TargetModules)}");

    private long AdapterParameterCount => Network.Linears().Where(static l => l.Layer.HasAdapter)
        .Sum(static l => l.Layer.LoraA!.numel() + l.Layer.LoraB!.numel());

    /// <summary>Creates a model with random weights (normal, standard deviation 0.02, norms at 1), e.g. to pretrain a tiny model.</summary>
    /// <param name="config">The shape.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelFormatException"><paramref name="config"/> cannot describe a model.</exception>
    public static CausalLanguageModel Create(LlamaConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var model = new CausalLanguageModel(config);
        using var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach ((string name, var parameter) in model.Network.named_parameters())
            {
                if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                {
                    parameter.fill_(1);
                }
                else if (name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    parameter.zero_();
                }
                else
                {
                    parameter.normal_(0, 0.02, generator);
                }
            }
        }

        return model;
    }

    /// <summary>Loads a model from a Hugging Face checkpoint folder: <c>config.json</c> and <c>model.safetensors</c> (or the
    /// shards listed in <c>model.safetensors.index.json</c>).</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <param name="quantize">Whether to store the linear layers' base weights as NF4 blocks (QLoRA); embeddings and norms stay float32.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or blank.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The config or a weights file is missing.</exception>
    /// <exception cref="ModelFormatException">The config describes an unsupported model, a weights file is corrupt or truncated,
    /// or a tensor is missing, unexpected or misshapen (the message names it and the expected shape).</exception>
    public static CausalLanguageModel Load(string directory, bool quantize = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string folder = Path.GetFullPath(directory);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The checkpoint folder '{folder}' does not exist.");
        }

        LlamaConfig config = LlamaConfig.Load(folder);
        var model = new CausalLanguageModel(config);
        try
        {
            model.LoadWeights(WeightFiles(folder));
            if (quantize)
            {
                model.Quantize();
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Saves the model as a Hugging Face checkpoint folder: <c>config.json</c> and <c>model.safetensors</c> (float32;
    /// NF4 weights are saved dequantized). Each file is written to a temporary name first, then renamed.</summary>
    /// <param name="directory">The folder; created when missing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or blank.</exception>
    /// <exception cref="InvalidOperationException">The model has adapters that are not merged: merge them (<see cref="MergeAdapter"/>), or save them alone (<see cref="SaveAdapter"/>).</exception>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (HasAdapter && !IsAdapterMerged)
        {
            throw new InvalidOperationException("The model has adapters that are not merged. Call MergeAdapter() to save a merged model, or SaveAdapter() to save the adapters alone.");
        }

        string folder = Path.GetFullPath(directory);
        Directory.CreateDirectory(folder);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in BaseStateDict())
        {
            tensors[name] = value.detach().contiguous();
        }

        SafetensorsFile.Save(Path.Combine(folder, WeightsFile), tensors);
        WriteTextAtomically(Path.Combine(folder, "config.json"), Config.ToJson());
    }

    /// <summary>Computes the next-token logits at every position of <paramref name="tokens"/>.</summary>
    /// <param name="tokens">The token ids (at least one, at most <see cref="LlamaConfig.MaxPositionEmbeddings"/>).</param>
    /// <returns>The logits, row-major [tokens × vocabulary].</returns>
    /// <exception cref="ArgumentException"><paramref name="tokens"/> is empty, too long, or has an id outside the vocabulary.</exception>
    public float[] GetLogits(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckTokens(tokens, nameof(tokens));
        using var scope = NewDisposeScope();
        using var inference = new InferenceScope(this);
        Tensor ids = tensor(ToLongs(tokens), [1, tokens.Length], dtype: ScalarType.Int64);
        return Network.Forward(ids).contiguous().data<float>().ToArray();
    }

    /// <summary>Continues <paramref name="prompt"/> token by token with a KV cache: greedy when
    /// <see cref="GenerationOptions.Temperature"/> is 0, otherwise sampled with the options' seed.</summary>
    /// <param name="prompt">The prompt's token ids (at least one).</param>
    /// <param name="options">How to generate, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Checked before every token.</param>
    /// <returns>The generated ids, ending with a stop token when one was produced.</returns>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is empty, too long, or has an id outside the vocabulary; or <paramref name="options"/> are invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public IReadOnlyList<int> Generate(IReadOnlyList<int> prompt, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new GenerationOptions();
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new GenerationOptionsValidator());
        int[] promptIds = [.. prompt];
        CheckTokens(promptIds, nameof(prompt));
        IReadOnlyCollection<int> stops = options.StopTokenIds.Count > 0 ? [.. options.StopTokenIds] : Config.EndOfSequenceTokenIds;
        int budget = Math.Min(options.MaxNewTokens, Config.MaxPositionEmbeddings - promptIds.Length);
        var random = new Random(options.Seed);
        var generated = new List<int>(budget);
        using var inference = new InferenceScope(this);
        using var cache = new DecoderCache(Config.LayerCount);
        Tensor next = tensor(ToLongs(promptIds), [1, promptIds.Length], dtype: ScalarType.Int64);
        try
        {
            for (int step = 0; step < budget; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int token;
                using (var scope = NewDisposeScope())
                {
                    Tensor logits = Network.Forward(next, cache)[0, -1];
                    token = options.Temperature == 0 ? (int)logits.argmax().item<long>() : Sample(logits, options.Temperature, random);
                }

                generated.Add(token);
                if (stops.Contains(token))
                {
                    break;
                }

                next.Dispose();
                next = tensor(new long[] { token }, [1, 1], dtype: ScalarType.Int64);
            }
        }
        finally
        {
            next.Dispose();
        }

        return generated;
    }

    /// <summary>Adds LoRA adapters to the target modules and freezes every other parameter.</summary>
    /// <param name="options">The adapter options, or <see langword="null"/> for the defaults (r 16, α 32, dropout 0.05, all linear modules).</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    /// <exception cref="InvalidOperationException">The model already has adapters.</exception>
    public void AddAdapter(LoraOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new LoraOptions();
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new LoraOptionsValidator(), new LoraOptionsCrossValidator());
        if (_adapter is not null)
        {
            throw new InvalidOperationException("The model already has adapters; remove them (RemoveAdapter) before adding others.");
        }

        var copy = new LoraOptions { Rank = options.Rank, Alpha = options.Alpha, Dropout = options.Dropout, Seed = options.Seed };
        copy.TargetModules.Clear();
        foreach (string module in options.TargetModules.Distinct())
        {
            copy.TargetModules.Add(module);
        }

        foreach (Parameter parameter in Network.parameters())
        {
            parameter.requires_grad = false;
        }

        using var generator = new Generator((ulong)options.Seed);
        foreach ((string path, AdaptableLinear layer) in Network.Linears())
        {
            if (copy.TargetModules.Contains(ModuleName(path)))
            {
                layer.AddAdapter(copy.Rank, copy.Alpha, copy.Dropout, generator, DropoutSource);
            }
        }

        _adapter = copy;
    }

    /// <summary>Adds the adapters' updates into the base weights, so inference costs no extra matrix products (an NF4
    /// base is dequantized to float32 first). <see cref="UnmergeAdapter"/> undoes it.</summary>
    /// <exception cref="InvalidOperationException">The model has no adapters.</exception>
    public void MergeAdapter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireAdapter();
        foreach ((_, AdaptableLinear layer) in Network.Linears())
        {
            layer.Merge();
        }
    }

    /// <summary>Subtracts the merged adapters' updates from the base weights again.</summary>
    /// <exception cref="InvalidOperationException">The model has no adapters.</exception>
    public void UnmergeAdapter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireAdapter();
        foreach ((_, AdaptableLinear layer) in Network.Linears())
        {
            layer.Unmerge();
        }
    }

    /// <summary>Removes the adapters (when merged, their update stays in the weights) and makes every parameter trainable again.</summary>
    public void RemoveAdapter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach ((_, AdaptableLinear layer) in Network.Linears())
        {
            layer.RemoveAdapter();
        }

        foreach (Parameter parameter in Network.parameters())
        {
            parameter.requires_grad = true;
        }

        _adapter = null;
    }

    /// <summary>Saves the adapters in PEFT's format: <c>adapter_model.safetensors</c> (names
    /// <c>base_model.model.&lt;module&gt;.lora_A.weight</c>) and <c>adapter_config.json</c>.</summary>
    /// <param name="directory">The folder; created when missing.</param>
    /// <param name="baseModelName">The base model's name or path, written to the config, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or blank.</exception>
    /// <exception cref="InvalidOperationException">The model has no adapters.</exception>
    public void SaveAdapter(string directory, string? baseModelName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ObjectDisposedException.ThrowIf(_disposed, this);
        LoraOptions adapter = RequireAdapter();
        string folder = Path.GetFullPath(directory);
        Directory.CreateDirectory(folder);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string path, AdaptableLinear layer) in Network.Linears())
        {
            if (layer.HasAdapter)
            {
                tensors[PeftPrefix + path + ".lora_A.weight"] = layer.LoraA!.detach().contiguous();
                tensors[PeftPrefix + path + ".lora_B.weight"] = layer.LoraB!.detach().contiguous();
            }
        }

        SafetensorsFile.Save(Path.Combine(folder, AdapterWeightsFile), tensors);
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["r"] = adapter.Rank,
            ["lora_alpha"] = adapter.Alpha,
            ["lora_dropout"] = adapter.Dropout,
            ["target_modules"] = new JsonArray([.. adapter.TargetModules.Select(static m => (JsonNode)m)]),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["use_rslora"] = false,
            ["use_dora"] = false,
            ["modules_to_save"] = null,
            ["base_model_name_or_path"] = baseModelName,
        };
        WriteTextAtomically(Path.Combine(folder, AdapterConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Loads PEFT LoRA adapters (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) onto this model, replacing none: the model must have no adapters yet.</summary>
    /// <param name="directory">The adapter folder.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or blank.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="ModelFormatException">The adapter is not a LoRA adapter this library reads (e.g. DoRA, rsLoRA, bias training), or a tensor is missing or misshapen.</exception>
    /// <exception cref="InvalidOperationException">The model already has adapters.</exception>
    public void LoadAdapter(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_adapter is not null)
        {
            throw new InvalidOperationException("The model already has adapters; remove them (RemoveAdapter) before loading others.");
        }

        string folder = Path.GetFullPath(directory);
        string configPath = Path.Combine(folder, AdapterConfigFile);
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"The adapter configuration '{configPath}' does not exist.", configPath);
        }

        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject ?? throw new ModelFormatException($"'{configPath}' is not a JSON object.", configPath);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{configPath}' is not valid JSON: {e.Message}", configPath, e);
        }

        var options = new LoraOptions();
        try
        {
            static bool IsSet(JsonNode? node) => node switch
            {
                null => false,
                JsonValue v when v.GetValueKind() is JsonValueKind.Null or JsonValueKind.False => false,
                JsonArray { Count: 0 } or JsonObject { Count: 0 } => false,
                _ => true,
            };

            if (config["peft_type"]?.GetValue<string>() != "LORA" || IsSet(config["use_dora"]) || IsSet(config["use_rslora"])
                || (config["bias"]?.GetValue<string>() ?? "none") != "none" || IsSet(config["modules_to_save"]) || IsSet(config["alpha_pattern"])
                || IsSet(config["rank_pattern"]) || IsSet(config["layers_to_transform"]))
            {
                throw new ModelFormatException($"'{configPath}' is not a plain LoRA adapter (peft_type LORA, bias none; no DoRA, rsLoRA, modules_to_save, alpha_pattern, rank_pattern or layers_to_transform), the only kind this library reads.", configPath);
            }

            options.Rank = config["r"]?.GetValue<int>() ?? throw new ModelFormatException($"'{configPath}' has no 'r'.", configPath);
            options.Alpha = config["lora_alpha"] is JsonValue alpha ? alpha.GetValue<double>() : 8;
            options.Dropout = config["lora_dropout"] is JsonValue dropout ? dropout.GetValue<double>() : 0;
            options.TargetModules.Clear();
            if (config["target_modules"] is JsonArray targets)
            {
                foreach (JsonNode? target in targets)
                {
                    options.TargetModules.Add(target!.GetValue<string>());
                }
            }
            else
            {
                foreach (string module in LoraOptions.AllLinearModules)
                {
                    options.TargetModules.Add(module);
                }
            }

            OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new LoraOptionsValidator(), new LoraOptionsCrossValidator());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
        {
            throw new ModelFormatException($"'{configPath}' cannot be read as a LoRA adapter configuration: {e.Message}", configPath, e);
        }

        string weightsPath = Path.Combine(folder, AdapterWeightsFile);
        Dictionary<string, Tensor> loaded = SafetensorsFile.Load(weightsPath);
        try
        {
            AddAdapter(options);
            var expectedNames = Network.Linears().Where(static l => l.Layer.HasAdapter)
                .SelectMany(static l => new[] { PeftPrefix + l.Path + ".lora_A.weight", PeftPrefix + l.Path + ".lora_B.weight" }).ToHashSet(StringComparer.Ordinal);
            var unexpected = loaded.Keys.Where(k => !expectedNames.Contains(k)).ToList();
            if (unexpected.Count > 0)
            {
                throw new ModelFormatException($"'{weightsPath}' holds tensors this adapter configuration does not explain: {Describe(unexpected)}.", weightsPath);
            }

            using (no_grad())
            {
                foreach ((string path, AdaptableLinear layer) in Network.Linears())
                {
                    if (!layer.HasAdapter)
                    {
                        continue;
                    }

                    CopyInto(loaded, PeftPrefix + path + ".lora_A.weight", layer.LoraA!, weightsPath);
                    CopyInto(loaded, PeftPrefix + path + ".lora_B.weight", layer.LoraB!, weightsPath);
                }
            }
        }
        catch
        {
            RemoveAdapter();
            throw;
        }
        finally
        {
            foreach (Tensor t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Copies the model's weights (NF4 weights dequantized, merged adapters included) into the ONNX exporter's
    /// weight model, with the rotary frequencies this config computes (scaling applied).</summary>
    /// <returns>The weights.</returns>
    /// <exception cref="InvalidOperationException">The model has adapters that are not merged (call <see cref="MergeAdapter"/> first).</exception>
    public DecoderModelWeights ToDecoderWeights()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (HasAdapter && !IsAdapterMerged)
        {
            throw new InvalidOperationException("The model has adapters that are not merged. Call MergeAdapter() before exporting; the exported model then needs no adapter.");
        }

        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        {
            foreach ((string name, Tensor value) in BaseStateDict())
            {
                tensors[name] = value.detach().contiguous().data<float>().ToArray();
            }
        }

        return new DecoderModelWeights(Config.VocabularySize, Config.HiddenSize, Config.IntermediateSize, Config.LayerCount,
            Config.HeadCount, Config.KeyValueHeadCount, Config.HeadSize, Config.RmsNormEpsilon, Rotary.InverseFrequencies(Config), tensors);
    }

    /// <summary>Exports the model to an ONNX file with a KV cache that <c>OnnxChatClient</c> (PromptKit.OnnxRuntime) runs (see
    /// <see cref="OnnxDecoderExporter"/>), so the model serves without TorchSharp.</summary>
    /// <param name="path">The ONNX file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank, or the model is too large for one ONNX file (2 GB).</exception>
    /// <exception cref="InvalidOperationException">The model has adapters that are not merged.</exception>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OnnxDecoderExporter.ExportToFile(ToDecoderWeights(), path, new OnnxExportOptions { GraphName = Config.Architecture, Description = $"{Config.Architecture} exported by PromptKit.Internalization" });
    }

    /// <summary>Stores the base weights of every linear layer (not the embedding, norms or a tied head) as NF4 blocks with
    /// double-quantized scales, dequantized on the fly in each forward pass (QLoRA). The base becomes frozen.</summary>
    /// <exception cref="InvalidOperationException">Adapters are merged into the weights.</exception>
    public void Quantize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach ((_, AdaptableLinear layer) in Network.Linears())
        {
            layer.QuantizeBase();
        }
    }

    /// <summary>Releases the native tensors.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Network.Dispose();
            DropoutSource.Dispose();
        }
    }

    internal static long[] ToLongs(ReadOnlySpan<int> tokens)
    {
        var longs = new long[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            longs[i] = tokens[i];
        }

        return longs;
    }

    internal void CheckTokens(ReadOnlySpan<int> tokens, string paramName)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("At least one token is needed.", paramName);
        }

        if (tokens.Length > Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"{tokens.Length} tokens exceed the model's {Config.MaxPositionEmbeddings} positions.", paramName);
        }

        foreach (int token in tokens)
        {
            if ((uint)token >= (uint)Config.VocabularySize)
            {
                throw new ArgumentException($"Token id {token} is outside the vocabulary [0, {Config.VocabularySize}).", paramName);
            }
        }
    }

    /// <summary>The base model's tensors by Hugging Face name (NF4 weights dequantized), without adapters.</summary>
    internal IEnumerable<(string Name, Tensor Value)> BaseStateDict()
    {
        var linears = Network.Linears().ToDictionary(static l => l.Path + ".weight", static l => l.Layer, StringComparer.Ordinal);
        foreach ((string name, Parameter parameter) in Network.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (name, parameter);
        }

        foreach ((string name, AdaptableLinear layer) in linears)
        {
            if (layer.IsQuantized)
            {
                yield return (name, layer.BaseWeight());
            }
        }
    }

    private static string ModuleName(string path) => path[(path.LastIndexOf('.') + 1)..];

    private static IReadOnlyList<string> WeightFiles(string folder)
    {
        string single = Path.Combine(folder, WeightsFile);
        if (File.Exists(single))
        {
            return [single];
        }

        string index = Path.Combine(folder, ShardIndexFile);
        if (!File.Exists(index))
        {
            throw new FileNotFoundException($"The checkpoint folder '{folder}' has neither {WeightsFile} nor {ShardIndexFile}.", single);
        }

        try
        {
            var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject
                ?? throw new ModelFormatException($"'{index}' has no weight_map.", index);
            return [.. map.Select(static e => e.Value!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal).Select(f => Path.Combine(folder, f))];
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{index}' is not valid JSON: {e.Message}", index, e);
        }
    }

    private void LoadWeights(IReadOnlyList<string> files)
    {
        var expected = Network.named_parameters().ToDictionary(static p => p.name, static p => p.parameter, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (string file in files)
        {
            Dictionary<string, Tensor> loaded = SafetensorsFile.Load(file);
            try
            {
                using (no_grad())
                {
                    foreach ((string name, Tensor value) in loaded)
                    {
                        if (expected.TryGetValue(name, out Parameter? parameter))
                        {
                            CopyInto(loaded, name, parameter, file);
                            seen.Add(name);
                        }
                        else if (!IsIgnorable(name))
                        {
                            unexpected.Add(name);
                        }
                    }
                }
            }
            finally
            {
                foreach (Tensor t in loaded.Values)
                {
                    t.Dispose();
                }
            }
        }

        var missing = expected.Keys.Where(n => !seen.Contains(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            string where = string.Join(", ", files.Select(Path.GetFileName));
            string message = $"The weights in {where} do not match a {Config.Architecture} with this config.json"
                + (missing.Count > 0 ? $"; missing: {Describe(missing)}" : string.Empty)
                + (unexpected.Count > 0 ? $"; unexpected: {Describe(unexpected)}" : string.Empty) + ".";
            throw new ModelFormatException(message, files[0]);
        }

        bool IsIgnorable(string name) =>
            name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (Config.TieWordEmbeddings && name == "lm_head.weight");
    }

    private static string Describe(List<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Count - 8} more";

    private static void CopyInto(Dictionary<string, Tensor> loaded, string name, Tensor target, string file)
    {
        if (!loaded.TryGetValue(name, out Tensor? value))
        {
            throw new ModelFormatException($"'{file}' has no tensor '{name}' (expected shape [{string.Join(", ", target.shape)}]).", file);
        }

        if (!value.shape.SequenceEqual(target.shape))
        {
            throw new ModelFormatException($"'{file}': tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}] from config.json.", file);
        }

        target.copy_(value);
    }

    private static int Sample(Tensor logits, double temperature, Random random)
    {
        float[] probabilities = logits.div(temperature).softmax(0).data<float>().ToArray();
        double draw = random.NextDouble();
        double cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (draw < cumulative)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }

    /// <summary>Inference on the model: its lock, no gradients, evaluation mode; the training mode it had is restored on dispose.</summary>
    private readonly ref struct InferenceScope
    {
        private readonly CausalLanguageModel _model;
        private readonly Lock.Scope _exclusive;
        private readonly IDisposable _noGrad;
        private readonly bool _wasTraining;

        public InferenceScope(CausalLanguageModel model)
        {
            _model = model;
            _exclusive = model.Gate.EnterScope();
            _noGrad = no_grad();
            _wasTraining = model.Network.training;
            model.Network.eval();
        }

        public void Dispose()
        {
            if (_wasTraining)
            {
                _model.Network.train();
            }

            _noGrad.Dispose();
            _exclusive.Dispose();
        }
    }

    private LoraOptions RequireAdapter() =>
        _adapter ?? throw new InvalidOperationException("The model has no adapters. Call AddAdapter or LoadAdapter first.");

    private static void WriteTextAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
