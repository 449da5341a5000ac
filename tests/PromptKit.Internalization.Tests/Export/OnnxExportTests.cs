using Microsoft.Extensions.AI;
using PromptKit.OnnxRuntime;

namespace PromptKit.Internalization.Tests;

public sealed class OnnxExportTests
{
    [Theory]
    [InlineData(TinyCheckpoints.Llama)]
    [InlineData(TinyCheckpoints.Qwen2)]
    public async Task TheMergedModelAnswersThroughOnnxChatClientWithTheSameGreedyTokens(string checkpoint)
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(checkpoint));
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(checkpoint));
        model.AddAdapter(new LoraOptions { Rank = 4, Seed = 5 });
        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 2)).Train(model, ToyTask.Examples(model.Config.VocabularySize));
        model.MergeAdapter();
        string path = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N") + ".onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        model.ExportOnnx(path);
        ChatMessage[] conversation = [new(ChatRole.User, "Think first, then act: bash ls.")];
        var generation = new GenerationOptions { MaxNewTokens = 24 };
        generation.StopTokenIds.Add(-1);
        IReadOnlyList<int> expected = model.Generate(tokenizer.EncodeChat(conversation), generation);

        var options = new OnnxChatClientOptions
        {
            ModelPath = path,
            Tokenizer = tokenizer.Tokenizer,
            ChatTemplate = messages => tokenizer.ChatTemplate.Format(messages),
            MaxContextLength = model.Config.MaxPositionEmbeddings,
        };
        using var client = new OnnxChatClient(options);
        ChatResponse response = await client.GetResponseAsync(conversation, new ChatOptions { MaxOutputTokens = 24, Temperature = 0 });

        response.Text.Should().Be(tokenizer.Decode(expected), "ONNX Runtime must pick the same greedy tokens as TorchSharp");
        response.Usage!.OutputTokenCount.Should().Be(24);
    }

    [Fact]
    public void OnnxLogitsEqualTorchSharpLogitsForAWholeSequence()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama), quantize: true);
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(TinyCheckpoints.Llama);
        byte[] bytes = OnnxDecoderExporter.Export(model.ToDecoderWeights());
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
        int n = reference.InputIds.Length, layers = model.Config.LayerCount;
        var inputs = new List<Microsoft.ML.OnnxRuntime.NamedOnnxValue>
        {
            Named("input_ids", reference.InputIds.Select(static t => (long)t).ToArray(), [1, n]),
            Named("attention_mask", Enumerable.Repeat(1L, n).ToArray(), [1, n]),
            Named("position_ids", Enumerable.Range(0, n).Select(static t => (long)t).ToArray(), [1, n]),
        };
        for (int i = 0; i < layers; i++)
        {
            foreach (string kind in new[] { "key", "value" })
            {
                inputs.Add(Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor($"past_key_values.{i}.{kind}",
                    new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>([1, model.Config.KeyValueHeadCount, 0, model.Config.HeadSize])));
            }
        }

        using var outputs = session.Run(inputs);
        float[] onnx = [.. outputs.First(o => o.Name == "logits").AsEnumerable<float>()];
        float[] torch = model.GetLogits(reference.InputIds);

        LoraTests.MaxDifference(onnx, torch).Should().BeLessThan(1e-4);
    }

    [Fact]
    public void AnUnmergedAdapterIsNotExportedSilently()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 2 });

        Action export = () => model.ExportOnnx(Path.Combine(Path.GetTempPath(), "never.onnx"));

        export.Should().Throw<InvalidOperationException>().WithMessage("*MergeAdapter*");
    }

    private static Microsoft.ML.OnnxRuntime.NamedOnnxValue Named(string name, long[] values, int[] shape) =>
        Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(name, new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(values, shape));
}
