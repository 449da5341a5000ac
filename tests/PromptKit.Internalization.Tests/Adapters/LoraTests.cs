namespace PromptKit.Internalization.Tests;

public sealed class LoraTests
{
    [Fact]
    public void ANewAdapterChangesNothingAndOnlyItsWeightsAreTrainable()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        int[] tokens = [5, 40, 77, 300, 12];
        float[] before = model.GetLogits(tokens);

        model.AddAdapter(new LoraOptions { Rank = 4, Alpha = 8 });

        model.GetLogits(tokens).Should().Equal(before, "B starts at zero");
        LlamaConfig c = model.Config;
        long perLayer = (4 * (c.HiddenSize + (c.HeadCount * c.HeadSize))) * 2 // q, o
            + (4 * (c.HiddenSize + (c.KeyValueHeadCount * c.HeadSize))) * 2     // k, v
            + (4 * (c.HiddenSize + c.IntermediateSize)) * 3;                    // gate, up, down
        model.TrainableParameterCount.Should().Be(perLayer * c.LayerCount);
    }

    [Fact]
    public void TrainingLowersTheLossAndChangesOnlyAdapterWeights()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05, Seed = 1 });
        List<LanguageModelingExample> examples = ToyTask.Examples(model.Config.VocabularySize);
        Dictionary<string, float[]> before = ToyTask.Snapshot(model);
        double initial = LanguageModelTrainer.EvaluateLoss(model, examples);

        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 16)).Train(model, examples);

        double final = LanguageModelTrainer.EvaluateLoss(model, examples);
        final.Should().BeLessThan(initial * 0.6, $"memorizing six sequences must lower the loss (from {initial:F3})");
        foreach ((string name, float[] after) in ToyTask.Snapshot(model))
        {
            bool isAdapter = name.Contains(".lora_", StringComparison.Ordinal);
            bool changed = !after.SequenceEqual(before[name]);
            if (isAdapter && name.EndsWith("lora_B.weight", StringComparison.Ordinal))
            {
                changed.Should().BeTrue($"{name} is trained");
            }
            else if (!isAdapter)
            {
                changed.Should().BeFalse($"{name} is frozen");
            }
        }
    }

    [Fact]
    public void MergingGivesTheSameOutputsAndUnmergingRestoresTheBase()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 4, Seed = 2 });
        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 2)).Train(model, ToyTask.Examples(model.Config.VocabularySize));
        int[] tokens = [5, 40, 77, 300, 12, 9];
        float[] adapted = model.GetLogits(tokens);
        Dictionary<string, float[]> baseWeights = ToyTask.Snapshot(model);

        model.MergeAdapter();
        float[] merged = model.GetLogits(tokens);
        model.UnmergeAdapter();

        MaxDifference(merged, adapted).Should().BeLessThan(1e-4);
        foreach ((string name, float[] after) in ToyTask.Snapshot(model))
        {
            MaxDifference(after, baseWeights[name]).Should().BeLessThan(1e-5, $"{name} is restored");
        }
    }

    [Fact]
    public void AdaptersRoundTripThroughPeftFiles()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 4, Seed = 2 });
        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 2)).Train(model, ToyTask.Examples(model.Config.VocabularySize));
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        int[] tokens = [5, 40, 77, 300, 12, 9];

        model.SaveAdapter(folder, "tiny-llama");
        using CausalLanguageModel reloaded = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        reloaded.LoadAdapter(folder);

        reloaded.GetLogits(tokens).Should().Equal(model.GetLogits(tokens));
        string config = File.ReadAllText(Path.Combine(folder, "adapter_config.json"));
        config.Should().Contain("\"peft_type\": \"LORA\"").And.Contain("\"r\": 4").And.Contain("\"task_type\": \"CAUSAL_LM\"");
        IReadOnlyDictionary<string, long[]> names = SafetensorsFile.ReadHeader(Path.Combine(folder, "adapter_model.safetensors"));
        names.Keys.Should().Contain("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        names["base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"].Should().Equal(model.Config.HiddenSize, 4);
    }

    [Fact]
    public void BadAdapterOptionsAreNamed()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        var options = new LoraOptions { Rank = 0 };
        options.TargetModules.Add("attention");

        Action add = () => model.AddAdapter(options);

        add.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*Rank*").WithMessage("*attention*");
    }

    internal static double MaxDifference(float[] a, float[] b)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }
}

public sealed class LoraGuardTests
{
    [Fact]
    public void LoadingAnAdapterOntoAModelWithOneKeepsTheExistingAdapter()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 4, Seed = 2 });
        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 1)).Train(model, ToyTask.Examples(model.Config.VocabularySize));
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        model.SaveAdapter(folder);
        int[] tokens = [5, 40, 77];
        float[] before = model.GetLogits(tokens);

        FluentActions.Invoking(() => model.LoadAdapter(folder)).Should().Throw<InvalidOperationException>();

        model.HasAdapter.Should().BeTrue();
        model.GetLogits(tokens).Should().Equal(before);
    }

    [Fact]
    public void AnAdapterWithModulesToSaveIsRefused()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 2 });
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        model.SaveAdapter(folder);
        string config = Path.Combine(folder, "adapter_config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"modules_to_save\": null", "\"modules_to_save\": [\"lm_head\"]", StringComparison.Ordinal));
        using CausalLanguageModel fresh = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));

        FluentActions.Invoking(() => fresh.LoadAdapter(folder)).Should().Throw<ModelFormatException>().WithMessage("*modules_to_save*");
        fresh.HasAdapter.Should().BeFalse();
    }

    [Fact]
    public void MergingIntoAnNf4BaseGivesTheAdaptedOutputsAndSurvivesTheCallersDisposeScope()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama), quantize: true);
        model.AddAdapter(new LoraOptions { Rank = 4, Seed = 3 });
        new LanguageModelTrainer(ToyTask.FastOptions(epochs: 2)).Train(model, ToyTask.Examples(model.Config.VocabularySize));
        int[] tokens = [5, 40, 77, 300];
        float[] adapted = model.GetLogits(tokens);

        using (TorchSharp.torch.NewDisposeScope())
        {
            model.MergeAdapter();
        }

        LoraTests.MaxDifference(model.GetLogits(tokens), adapted).Should().BeLessThan(1e-4);
    }
}
