using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using PromptKit.Internalization;
using PromptKit.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Benchmarks;

/// <summary>
/// The tiny Llama checkpoint of the LoRA sample (<c>samples/data/tiny-llama</c>: 2 layers, hidden 64, 4:2 grouped-query
/// heads, 379 tokens): one forward pass over 32 tokens and 16 greedily generated tokens after a 16-token prompt, through
/// TorchSharp (<see cref="CausalLanguageModel"/>, KV cache) and ONNX Runtime (<see cref="OnnxChatClient"/> on the
/// exported graph, KV cache); one LoRA training step (batch 4 × 32 tokens, r = 16 on all linear modules, forward,
/// backward, clipping, AdamW); one GenPI joint step (2 imitation + 2 prompt-generation examples of the shell task, the
/// latter holding the whole agent prompt, on the same shape with 2,048 positions; lengths printed at setup); and NF4 dequantization of one 1536 × 576 matrix (SmolLM-135M's MLP shape). One thread each.
/// </summary>
[MemoryDiagnoser]
public class InternalizationBenchmark : IDisposable
{
    private CausalLanguageModel? _model;
    private CausalLanguageModel? _adapted;
    private OnnxChatClient? _client;
    private Microsoft.ML.OnnxRuntime.InferenceSession? _session;
    private Nf4Weight? _nf4;
    private optim.Optimizer? _optimizer;
    private LanguageModelingExample[] _batch = [];
    private LanguageModelingExample[] _genpiBatch = [];
    private CausalLanguageModel? _genpiModel;
    private optim.Optimizer? _genpiOptimizer;
    private int[] _tokens = [];
    private int[] _prompt = [];
    private string _promptText = string.Empty;
    private List<Microsoft.ML.OnnxRuntime.NamedOnnxValue> _onnxInputs = [];
    private readonly GenerationOptions _generation = new() { MaxNewTokens = 16 };

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        string folder = Path.Combine(AppContext.BaseDirectory, "data", "tiny-llama");
        _model = CausalLanguageModel.Load(folder);
        ModelTokenizer tokenizer = ModelTokenizer.Load(folder);
        var random = new Random(5);
        _tokens = [.. Enumerable.Range(0, 32).Select(_ => random.Next(_model.Config.VocabularySize))];
        _prompt = _tokens[..16];
        _generation.StopTokenIds.Add(-1);

        string onnxPath = Path.Combine(Path.GetTempPath(), "promptkit-benchmark-tiny-llama.onnx");
        _model.ExportOnnx(onnxPath);
        var sessionOptions = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 };
        _client = new OnnxChatClient(new OnnxChatClientOptions
        {
            ModelPath = onnxPath,
            Tokenizer = tokenizer.Tokenizer,
            ChatTemplate = static messages => messages.Single().Text,
            MaxContextLength = 256,
            Session = sessionOptions,
        });
        _promptText = tokenizer.Decode(_prompt);

        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
        _session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnxPath, options);
        _onnxInputs =
        [
            Long("input_ids", [.. _tokens.Select(static t => (long)t)]),
            Long("attention_mask", [.. Enumerable.Repeat(1L, 32)]),
            Long("position_ids", [.. Enumerable.Range(0, 32).Select(static t => (long)t)]),
        ];
        for (int i = 0; i < _model.Config.LayerCount; i++)
        {
            foreach (string kind in new[] { "key", "value" })
            {
                _onnxInputs.Add(Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor($"past_key_values.{i}.{kind}",
                    new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>([1, _model.Config.KeyValueHeadCount, 0, _model.Config.HeadSize])));
            }
        }

        _adapted = CausalLanguageModel.Load(folder);
        _adapted.AddAdapter(new LoraOptions { Seed = 1 });
        _adapted.Network.train();
        _optimizer = optim.AdamW(_adapted.Network.parameters().Where(static p => p.requires_grad), 1e-4);
        _batch = [.. Enumerable.Range(0, 4).Select(_ => new LanguageModelingExample([.. Enumerable.Range(0, 33).Select(_ => random.Next(_model.Config.VocabularySize))]))];

        // GenPI's joint step: two imitation examples (r = 0.7) and two prompt-generation examples (1 − r) of the shell task.
        var genpi = new List<LanguageModelingExample>();
        foreach (ShellTask task in ShellTasks.Generate(2, seed: 1))
        {
            IReadOnlyList<string> expert = ShellTasks.ExpertTurns(task);
            genpi.Add(LanguageModelingExample.FromChat(tokenizer, [new(ChatRole.User, task.Instruction), new(ChatRole.Assistant, expert[0])], weight: 0.7));
            string question = GenPiDataBuilder.FormatQuestion("user: " + task.Instruction, "Sure, I can help with that.", expert[0]);
            genpi.Add(LanguageModelingExample.FromChat(tokenizer, [new(ChatRole.User, question), new(ChatRole.Assistant, GenPiDataBuilder.FormatAnswer(ShellTasks.AgentPrompt, "the prompt asks for Think and Act lines."))], weight: 0.3));
        }

        _genpiBatch = [.. genpi];
        LlamaConfig c = _model.Config;
        var longer = new LlamaConfig
        {
            VocabularySize = c.VocabularySize, HiddenSize = c.HiddenSize, IntermediateSize = c.IntermediateSize, LayerCount = c.LayerCount,
            HeadCount = c.HeadCount, KeyValueHeadCount = c.KeyValueHeadCount, HeadSize = c.HeadSize, RopeScaling = c.RopeScaling,
            MaxPositionEmbeddings = 2048, // the prompt-generation examples hold the whole agent prompt
        };
        _genpiModel = CausalLanguageModel.Create(longer, seed: 1);
        _genpiModel.AddAdapter(new LoraOptions { Seed = 1 });
        _genpiModel.Network.train();
        _genpiOptimizer = optim.AdamW(_genpiModel.Network.parameters().Where(static p => p.requires_grad), 1e-4);
        Console.WriteLine($"// GenPI batch: {string.Join(", ", _genpiBatch.Select(static e => e.Tokens.Length))} tokens");

        float[] matrix = [.. Enumerable.Range(0, 1536 * 576).Select(_ => (float)(random.NextDouble() - 0.5))];
        _nf4 = new Nf4Weight(Nf4.Quantize(matrix), 1536, 576);
    }

    [Benchmark(Description = "Forward, 32 tokens (TorchSharp)")]
    public float[] TorchForward() => _model!.GetLogits(_tokens);

    [Benchmark(Description = "Forward, 32 tokens (ONNX Runtime)")]
    public int OnnxForward()
    {
        using var outputs = _session!.Run(_onnxInputs);
        return outputs.Count;
    }

    [Benchmark(Description = "16 generated tokens (TorchSharp, KV cache)")]
    public IReadOnlyList<int> TorchGenerate() => _model!.Generate(_prompt, _generation);

    [Benchmark(Description = "16 generated tokens (OnnxChatClient, KV cache)")]
    public string OnnxGenerate() =>
        _client!.GetResponseAsync([new ChatMessage(ChatRole.User, _promptText)], new ChatOptions { MaxOutputTokens = 16, Temperature = 0 }).GetAwaiter().GetResult().Text;

    [Benchmark(Description = "LoRA training step, 4 × 32 tokens")]
    public float LoraStep() => Step(_adapted!, _optimizer!, _batch);

    [Benchmark(Description = "GenPI step: 2 imitation + 2 prompt-generation examples")]
    public float GenPiStep() => Step(_genpiModel!, _genpiOptimizer!, _genpiBatch);

    [Benchmark(Description = "NF4 dequantization, 1536 × 576")]
    public long Nf4Dequantize()
    {
        using Tensor weights = _nf4!.Dequantize();
        return weights.numel();
    }

    public void Dispose()
    {
        _model?.Dispose();
        _adapted?.Dispose();
        _client?.Dispose();
        _session?.Dispose();
        _nf4?.Dispose();
        _optimizer?.Dispose();
        _genpiModel?.Dispose();
        _genpiOptimizer?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One optimizer step as LanguageModelTrainer takes it: loss, backward, clipping, AdamW.</summary>
    private static float Step(CausalLanguageModel model, optim.Optimizer optimizer, LanguageModelingExample[] batch)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = LanguageModelTrainer.Loss(model.Network, batch);
        loss.backward();
        _ = nn.utils.clip_grad_norm_(model.Network.parameters().Where(static p => p.requires_grad), 1.0);
        _ = optimizer.step();
        return loss.item<float>();
    }

    private static Microsoft.ML.OnnxRuntime.NamedOnnxValue Long(string name, long[] values) =>
        Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(name, new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(values, [1, values.Length]));
}
