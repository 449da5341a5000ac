// LoRA / QLoRA fine-tuning of a Hugging Face checkpoint with PromptKit.Internalization, end to end:
// load (config.json + safetensors + tokenizer), fine-tune adapters on chat examples, save them in PEFT's format,
// merge, export to ONNX and answer through OnnxChatClient without TorchSharp.
//
//   dotnet run --project samples/LoraFineTuning -c Release                      # the bundled tiny checkpoint, LoRA
//   dotnet run --project samples/LoraFineTuning -c Release -- --qlora           # the same on an NF4 base
//   dotnet run --project samples/LoraFineTuning -c Release -- --model DIR       # your checkpoint (e.g. SmolLM2-135M-Instruct)
//   dotnet run --project samples/LoraFineTuning -c Release -- --compare-qlora   # memory and speed, LoRA vs QLoRA, SmolLM-135M shape
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using PromptKit.Internalization;
using PromptKit.OnnxRuntime;
using PromptKit.Samples;

SampleFailures.ReportAsOneLine(); // bad input: one line and exit code 2, never a stack trace
string? modelFolder = null;
string output = Path.Combine(Path.GetTempPath(), "promptkit-lora-sample");
bool qlora = false, compare = false;
int epochs = 40;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model" when i + 1 < args.Length: modelFolder = args[++i]; break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int e) && e > 0: epochs = e; i++; break;
        case "--qlora": qlora = true; break;
        case "--compare-qlora": compare = true; break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Use --model DIR, --out DIR, --epochs N, --qlora or --compare-qlora.");
            return 2;
    }
}

if (compare)
{
    return QLoraComparison.Run();
}

modelFolder ??= Path.Combine(AppContext.BaseDirectory, "data", "tiny-llama");
if (!Directory.Exists(modelFolder))
{
    Console.Error.WriteLine($"The checkpoint folder '{Path.GetFullPath(modelFolder)}' does not exist.");
    return 2;
}

if (SampleFailures.PrepareOutputDirectory(output, Console.Error) is int badOutput)
{
    return badOutput;
}

CausalLanguageModel model;
ModelTokenizer tokenizer;
try
{
    model = CausalLanguageModel.Load(modelFolder, quantize: qlora);
    tokenizer = ModelTokenizer.Load(modelFolder);
}
catch (Exception e) when (e is ModelFormatException or FileNotFoundException or NotSupportedException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using (model)
{
    Console.WriteLine($"{model.Config.Architecture}: {model.Config.ParameterCount:N0} parameters, {model.Config.LayerCount} layers, chat template {tokenizer.ChatTemplate.Name}{(qlora ? ", NF4 base" : string.Empty)}");

    // A toy agent protocol: each request has one right command.
    (string Request, string Reply)[] pairs =
    [
        ("list the files", "Act: bash ls"),
        ("show my notes", "Act: bash cat notes.txt"),
        ("the task is done", "Act: finish"),
        ("what is in the folder?", "Act: bash ls"),
    ];
    var examples = pairs.Select(p => LanguageModelingExample.FromChat(tokenizer, [new(ChatRole.User, p.Request), new(ChatRole.Assistant, p.Reply)])).ToList();

    Console.WriteLine("Before fine-tuning:");
    Answer(model, tokenizer, pairs);

    model.AddAdapter(new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0.05, Seed = 1 });
    Console.WriteLine($"LoRA r=16 α=32 on all linear modules: {model.TrainableParameterCount:N0} trainable of {model.ParameterCount:N0}; weights in memory {model.WeightBytes / 1024.0:N0} KiB");
    var options = new LanguageModelTrainerOptions
    {
        Epochs = epochs,
        BatchSize = 2,
        LearningRate = 3e-3,
        Seed = 7,
        CheckpointPath = Path.Combine(output, "trainer.ckpt"),
        ResumeFromCheckpoint = false,
    };
    double before = LanguageModelTrainer.EvaluateLoss(model, examples);
    LanguageModelTrainingResult result = new LanguageModelTrainer(options).Train(model, examples);
    double after = LanguageModelTrainer.EvaluateLoss(model, examples);
    Console.WriteLine($"Loss on the replies: {before:F3} → {after:F3} nats/token ({result.Steps} steps, {result.Elapsed.TotalSeconds:F1} s)");

    Console.WriteLine("After fine-tuning:");
    int right = Answer(model, tokenizer, pairs);

    string adapterFolder = Path.Combine(output, "adapter");
    model.SaveAdapter(adapterFolder, modelFolder);
    Console.WriteLine($"Adapter saved in PEFT's format: {adapterFolder}");

    model.MergeAdapter();
    string onnxPath = Path.Combine(output, "model.onnx");
    model.ExportOnnx(onnxPath);
    using var client = new OnnxChatClient(new OnnxChatClientOptions
    {
        ModelPath = onnxPath,
        Tokenizer = tokenizer.Tokenizer,
        ChatTemplate = messages => tokenizer.ChatTemplate.Format(messages),
        MaxContextLength = model.Config.MaxPositionEmbeddings,
        EndOfSequenceTokenIds = { },
    });
    int same = 0;
    foreach ((string request, _) in pairs)
    {
        ChatMessage[] conversation = [new(ChatRole.User, request)];
        string torch = Reply(model, tokenizer, conversation);
        ChatResponse onnx = await client.GetResponseAsync(conversation, new ChatOptions { MaxOutputTokens = 16, Temperature = 0, StopSequences = [tokenizer.ChatTemplate.EndOfTurn] });
        same += onnx.Text == torch ? 1 : 0;
    }

    Console.WriteLine($"Merged model exported to {onnxPath}; OnnxChatClient gave TorchSharp's reply for {same} of {pairs.Length} requests.");
    return right == pairs.Length && same == pairs.Length ? 0 : 1;
}

static int Answer(CausalLanguageModel model, ModelTokenizer tokenizer, (string Request, string Reply)[] pairs)
{
    int right = 0;
    foreach ((string request, string expected) in pairs)
    {
        string reply = Reply(model, tokenizer, [new(ChatRole.User, request)]);
        right += reply == expected ? 1 : 0;
        Console.WriteLine($"  {request,-24} → {reply}");
    }

    Console.WriteLine($"  {right} of {pairs.Length} replies as taught.");
    return right;
}

static string Reply(CausalLanguageModel model, ModelTokenizer tokenizer, ChatMessage[] conversation)
{
    var generation = new GenerationOptions { MaxNewTokens = 16 };
    foreach (int id in tokenizer.EndOfSequenceTokenIds)
    {
        generation.StopTokenIds.Add(id);
    }

    IReadOnlyList<int> ids = model.Generate(tokenizer.EncodeChat(conversation), generation);
    string text = tokenizer.Decode(ids);
    int end = text.IndexOf(tokenizer.ChatTemplate.EndOfTurn, StringComparison.Ordinal);
    return (end >= 0 ? text[..end] : text).Trim();
}

/// <summary>Memory and speed of LoRA against QLoRA on a model of SmolLM-135M's shape (random weights: no download).</summary>
internal static class QLoraComparison
{
    public static int Run()
    {
        var config = new LlamaConfig
        {
            VocabularySize = 49_152, HiddenSize = 576, IntermediateSize = 1536, LayerCount = 30, HeadCount = 9,
            KeyValueHeadCount = 3, HeadSize = 64, TieWordEmbeddings = true, MaxPositionEmbeddings = 2048, RopeTheta = 100_000,
        };
        Console.WriteLine($"SmolLM-135M shape: {config.ParameterCount:N0} parameters; batch 2 × 128 tokens; LoRA r=16 α=32 on all linear modules");
        Console.WriteLine("| base | weights in memory | load from safetensors | forward (ms) | training step (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-smollm-shape");
        using (CausalLanguageModel random = CausalLanguageModel.Create(config, seed: 1))
        {
            random.Save(folder);
        }

        foreach (bool quantize in new[] { false, true })
        {
            var load = Stopwatch.StartNew();
            using CausalLanguageModel model = CausalLanguageModel.Load(folder, quantize);
            load.Stop();
            model.AddAdapter(new LoraOptions { Seed = 1 });
            var random = new Random(3);
            var batch = Enumerable.Range(0, 2).Select(_ => new LanguageModelingExample([.. Enumerable.Range(0, 129).Select(_ => random.Next(config.VocabularySize))])).ToList();
            var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions { Epochs = 4, BatchSize = 2, WarmupRatio = 0 });
            _ = LanguageModelTrainer.EvaluateLoss(model, batch); // warm-up
            var forward = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++)
            {
                _ = LanguageModelTrainer.EvaluateLoss(model, batch);
            }

            forward.Stop();
            LanguageModelTrainingResult result = trainer.Train(model, batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(quantize ? "NF4 (QLoRA)" : "float32 (LoRA)")} | {model.WeightBytes / 1_048_576.0:N0} MiB | {load.Elapsed.TotalSeconds:F1} s | {forward.Elapsed.TotalMilliseconds / 3:N0} | {result.Elapsed.TotalMilliseconds / result.Steps:N0} |"));
        }

        Directory.Delete(folder, recursive: true);
        return 0;
    }
}
