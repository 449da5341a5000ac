using System.Text.Json.Nodes;

namespace PromptKit.Internalization.Tests;

public sealed class CheckpointErrorTests
{
    [Fact]
    public void AnUnsupportedArchitectureIsNamed()
    {
        string folder = EditConfig(c => c["architectures"] = new JsonArray("GPT2LMHeadModel"));

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*GPT2LMHeadModel*LlamaForCausalLM*");
    }

    [Fact]
    public void AMisshapenTensorIsNamedWithTheExpectedShape()
    {
        string folder = EditConfig(c => c["intermediate_size"] = 128);

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>()
            .WithMessage("*'model.layers.*.mlp.*_proj.weight' has shape [*160*], expected [*128*]*");
    }

    [Fact]
    public void MissingTensorsAreListed()
    {
        string folder = EditConfig(c => c["num_hidden_layers"] = 3);

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*missing: model.layers.2.*");
    }

    [Fact]
    public void ATruncatedWeightsFileIsAClearError()
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        string weights = Path.Combine(folder, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*truncated*").Which.Path.Should().EndWith("model.safetensors");
    }

    [Theory]
    [InlineData(0)]   // header length
    [InlineData(12)]  // inside the JSON header
    public void ACorruptWeightsFileIsAClearError(int offset)
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        string weights = Path.Combine(folder, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        for (int i = offset; i < offset + 6; i++)
        {
            bytes[i] = 0xFF;
        }

        File.WriteAllBytes(weights, bytes);

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*model.safetensors*");
    }

    [Fact]
    public void AnInvalidConfigListsEveryProblem()
    {
        string folder = EditConfig(c =>
        {
            c["num_key_value_heads"] = 3;
            c["hidden_act"] = "silu";
            c["head_dim"] = 15;
        });

        Action load = () => CausalLanguageModel.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*multiple of num_key_value_heads (3)*head_dim (15) must be even*");
    }

    [Fact]
    public void ASavedModelLoadsBackWithTheSameOutputs()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Qwen2));
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        int[] tokens = [1, 2, 3, 200, 370];

        model.Save(folder);
        using CausalLanguageModel reloaded = CausalLanguageModel.Load(folder);

        reloaded.GetLogits(tokens).Should().Equal(model.GetLogits(tokens));
        reloaded.Config.TieWordEmbeddings.Should().BeTrue();
        Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo(["config.json", "model.safetensors"]);
    }

    [Fact]
    public void OutOfVocabularyTokensAndEmptyPromptsAreRefused()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));

        FluentActions.Invoking(() => model.GetLogits([1, 379])).Should().Throw<ArgumentException>().WithParameterName("tokens").WithMessage("*379*[0, 379)*");
        FluentActions.Invoking(() => model.Generate([])).Should().Throw<ArgumentException>().WithParameterName("prompt");
    }

    private static string EditConfig(Action<JsonObject> edit)
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        string path = Path.Combine(folder, "config.json");
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
        return folder;
    }
}

public sealed class ConfigTypeErrorTests
{
    [Fact]
    public void AnEntryOfTheWrongTypeIsAFormatErrorNamingTheFile()
    {
        Action parse = () => LlamaConfig.FromJson("""{"architectures":["LlamaForCausalLM"],"vocab_size":"many","hidden_size":64,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":4}""", "my/config.json");

        parse.Should().Throw<ModelFormatException>().WithMessage("*my/config.json*wrong type*");
    }
}
