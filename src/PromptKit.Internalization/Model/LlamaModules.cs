using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>Root-mean-square layer norm: <c>w · x / sqrt(mean(x²) + ε)</c>, computed in float32.</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly double _epsilon;

    public RmsNorm(string name, int size, double epsilon)
        : base(name)
    {
        _epsilon = epsilon;
        _weight = new Parameter(ones(size));
        register_parameter("weight", _weight);
    }

    public Tensor Weight => _weight;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor variance = input.pow(2).mean([-1], keepdim: true);
        return input.mul(variance.add(_epsilon).rsqrt()).mul(_weight).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
    }
}

/// <summary>Grouped-query self-attention with rotary positions (Hugging Face's rotate-half layout) and an optional KV cache.</summary>
internal sealed class LlamaAttention : nn.Module
{
    private readonly LlamaConfig _config;

    public LlamaAttention(string name, LlamaConfig config)
        : base(name)
    {
        _config = config;
        int q = config.HeadCount * config.HeadSize;
        int kv = config.KeyValueHeadCount * config.HeadSize;
        QueryProjection = new AdaptableLinear("q_proj", config.HiddenSize, q, config.AttentionBias);
        KeyProjection = new AdaptableLinear("k_proj", config.HiddenSize, kv, config.AttentionBias);
        ValueProjection = new AdaptableLinear("v_proj", config.HiddenSize, kv, config.AttentionBias);
        // Hugging Face's Llama (and Mistral) put attention_bias on all four projections; Qwen2 only on q, k and v.
        OutputProjection = new AdaptableLinear("o_proj", q, config.HiddenSize, hasBias: config.AttentionBias && config.Architecture != "Qwen2ForCausalLM");
        register_module("q_proj", QueryProjection);
        register_module("k_proj", KeyProjection);
        register_module("v_proj", ValueProjection);
        register_module("o_proj", OutputProjection);
    }

    public AdaptableLinear QueryProjection { get; }

    public AdaptableLinear KeyProjection { get; }

    public AdaptableLinear ValueProjection { get; }

    public AdaptableLinear OutputProjection { get; }

    /// <summary>Attends <paramref name="hidden"/> [batch, tokens, hidden] at positions <c>past..past+tokens</c>.</summary>
    public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, LayerCache? cache)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], tokens = hidden.shape[1];
        int d = _config.HeadSize;
        Tensor q = QueryProjection.forward(hidden).view(batch, tokens, _config.HeadCount, d).transpose(1, 2);
        Tensor k = KeyProjection.forward(hidden).view(batch, tokens, _config.KeyValueHeadCount, d).transpose(1, 2);
        Tensor v = ValueProjection.forward(hidden).view(batch, tokens, _config.KeyValueHeadCount, d).transpose(1, 2);
        q = Rotary.Apply(q, cos, sin);
        k = Rotary.Apply(k, cos, sin);
        long past = 0;
        if (cache is not null)
        {
            past = cache.Length;
            (k, v) = cache.Append(k, v);
        }

        if (_config.HeadsPerKeyValueHead > 1)
        {
            k = k.repeat_interleave(_config.HeadsPerKeyValueHead, dim: 1);
            v = v.repeat_interleave(_config.HeadsPerKeyValueHead, dim: 1);
        }

        Tensor attended;
        if (tokens == 1)
        {
            attended = nn.functional.scaled_dot_product_attention(q, k, v);
        }
        else if (past == 0)
        {
            attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        }
        else
        {
            // New tokens after a cache: token i sees keys 0..past+i.
            Tensor mask = ones(tokens, past + tokens, dtype: ScalarType.Bool).tril(past);
            attended = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        }

        Tensor merged = attended.transpose(1, 2).reshape(batch, tokens, _config.HeadCount * d);
        return OutputProjection.forward(merged).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
    }
}

/// <summary>The SwiGLU feed-forward layer: <c>down(silu(gate(x)) · up(x))</c>.</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    public LlamaMlp(string name, LlamaConfig config)
        : base(name)
    {
        GateProjection = new AdaptableLinear("gate_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias);
        UpProjection = new AdaptableLinear("up_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias);
        DownProjection = new AdaptableLinear("down_proj", config.IntermediateSize, config.HiddenSize, config.MlpBias);
        register_module("gate_proj", GateProjection);
        register_module("up_proj", UpProjection);
        register_module("down_proj", DownProjection);
    }

    public AdaptableLinear GateProjection { get; }

    public AdaptableLinear UpProjection { get; }

    public AdaptableLinear DownProjection { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor gated = nn.functional.silu(GateProjection.forward(input)).mul(UpProjection.forward(input));
        return DownProjection.forward(gated).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
    }
}

/// <summary>One pre-norm decoder layer: attention and SwiGLU, each with a residual connection.</summary>
internal sealed class LlamaDecoderLayer : nn.Module
{
    public LlamaDecoderLayer(string name, LlamaConfig config)
        : base(name)
    {
        Attention = new LlamaAttention("self_attn", config);
        Mlp = new LlamaMlp("mlp", config);
        InputNorm = new RmsNorm("input_layernorm", config.HiddenSize, config.RmsNormEpsilon);
        PostAttentionNorm = new RmsNorm("post_attention_layernorm", config.HiddenSize, config.RmsNormEpsilon);
        register_module("self_attn", Attention);
        register_module("mlp", Mlp);
        register_module("input_layernorm", InputNorm);
        register_module("post_attention_layernorm", PostAttentionNorm);
    }

    public LlamaAttention Attention { get; }

    public LlamaMlp Mlp { get; }

    public RmsNorm InputNorm { get; }

    public RmsNorm PostAttentionNorm { get; }

    public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, LayerCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor attended = hidden.add(Attention.Forward(InputNorm.forward(hidden), cos, sin, cache));
        return attended.add(Mlp.forward(PostAttentionNorm.forward(attended))).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
    }
}

/// <summary>The decoder stack (Hugging Face's <c>model</c>): token embedding, layers and the final norm.</summary>
internal sealed class LlamaBackbone : nn.Module
{
    public LlamaBackbone(string name, LlamaConfig config)
        : base(name)
    {
        Embedding = nn.Embedding(config.VocabularySize, config.HiddenSize);
        Layers = new ModuleList<LlamaDecoderLayer>();
        for (int i = 0; i < config.LayerCount; i++)
        {
            Layers.Add(new LlamaDecoderLayer(i.ToString(System.Globalization.CultureInfo.InvariantCulture), config));
        }

        Norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEpsilon);
        register_module("embed_tokens", Embedding);
        register_module("layers", Layers);
        register_module("norm", Norm);
    }

    public Embedding Embedding { get; }

    public ModuleList<LlamaDecoderLayer> Layers { get; }

    public RmsNorm Norm { get; }

    protected override void RegisterComponents()
    {
    }
}

/// <summary>The whole causal LM (Hugging Face's <c>LlamaForCausalLM</c>): <c>model</c> and, untied, <c>lm_head</c>.</summary>
internal sealed class LlamaNetwork : nn.Module
{
    private readonly Tensor _inverseFrequencies;

    public LlamaNetwork(LlamaConfig config)
        : base("LlamaForCausalLM")
    {
        Config = config;
        Backbone = new LlamaBackbone("model", config);
        register_module("model", Backbone);
        if (!config.TieWordEmbeddings)
        {
            Head = new AdaptableLinear("lm_head", config.HiddenSize, config.VocabularySize, hasBias: false);
            register_module("lm_head", Head);
        }

        _inverseFrequencies = tensor(Rotary.InverseFrequencies(config)).DetachFromDisposeScope();
    }

    public LlamaConfig Config { get; }

    public LlamaBackbone Backbone { get; }

    /// <summary>Gets the untied output head, or <see langword="null"/> when the embedding serves as the head.</summary>
    public AdaptableLinear? Head { get; }

    /// <summary>Every linear layer with its Hugging Face module path (e.g. <c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IEnumerable<(string Path, AdaptableLinear Layer)> Linears()
    {
        for (int i = 0; i < Backbone.Layers.Count; i++)
        {
            LlamaDecoderLayer layer = Backbone.Layers[i];
            string p = $"model.layers.{i}.";
            yield return (p + "self_attn.q_proj", layer.Attention.QueryProjection);
            yield return (p + "self_attn.k_proj", layer.Attention.KeyProjection);
            yield return (p + "self_attn.v_proj", layer.Attention.ValueProjection);
            yield return (p + "self_attn.o_proj", layer.Attention.OutputProjection);
            yield return (p + "mlp.gate_proj", layer.Mlp.GateProjection);
            yield return (p + "mlp.up_proj", layer.Mlp.UpProjection);
            yield return (p + "mlp.down_proj", layer.Mlp.DownProjection);
        }

        if (Head is not null)
        {
            yield return ("lm_head", Head);
        }
    }

    /// <summary>Computes logits [batch, tokens, vocabulary] for <paramref name="inputIds"/> [batch, tokens] (int64),
    /// continuing <paramref name="cache"/> when given (and appending to it).</summary>
    public Tensor Forward(Tensor inputIds, DecoderCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long tokens = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        if (past + tokens > Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"The sequence would reach {past + tokens} positions; the model takes at most {Config.MaxPositionEmbeddings} (max_position_embeddings).", nameof(inputIds));
        }

        (Tensor cos, Tensor sin) = Rotary.CosSin(_inverseFrequencies, past, tokens);
        Tensor hidden = Backbone.Embedding.forward(inputIds);
        for (int i = 0; i < Backbone.Layers.Count; i++)
        {
            hidden = Backbone.Layers[i].Forward(hidden, cos, sin, cache?.Layers[i]);
        }

        cache?.Advance(tokens);
        hidden = Backbone.Norm.forward(hidden);
        Tensor logits = Head is null ? nn.functional.linear(hidden, Backbone.Embedding.weight!) : Head.forward(hidden);
        return logits.MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inverseFrequencies.Dispose();
        }

        base.Dispose(disposing);
    }
}
