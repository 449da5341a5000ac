namespace PromptKit.Internalization.Tests;

public sealed class LanguageModelTrainerTests
{
    [Fact]
    public void LengthGroupedBatchesHoldSimilarLengthsAndEveryExampleOncePerEpoch()
    {
        var random = new Random(3);
        var examples = Enumerable.Range(0, 803).Select(_ => new LanguageModelingExample([.. Enumerable.Range(0, random.Next(2, 400)).Select(static t => t % 7)])).ToArray();
        var grouped = new LanguageModelTrainer(new LanguageModelTrainerOptions { BatchSize = 8, Seed = 5 });
        var plain = new LanguageModelTrainer(new LanguageModelTrainerOptions { BatchSize = 8, Seed = 5, GroupByLength = false });

        int[] order = grouped.EpochOrder(examples, epoch: 0);

        order.Order().Should().Equal(Enumerable.Range(0, examples.Length));
        order.Should().Equal(grouped.EpochOrder(examples, epoch: 0), "the order is a function of the seed and the epoch (resumes depend on it)");
        order.Should().NotEqual(grouped.EpochOrder(examples, epoch: 1));
        Padding(order).Should().BeLessThan(Padding(plain.EpochOrder(examples, epoch: 0)) / 10);
        order.Chunk(8).Select(b => b.Max(i => examples[i].Tokens.Length)).Should().NotBeInDescendingOrder("the batches are shuffled after grouping");
        order[..800].Chunk(8).Should().OnlyContain(b => b.Select(i => examples[i].Tokens.Length).SequenceEqual(b.Select(i => examples[i].Tokens.Length).OrderDescending()), "each full batch is a slice of a length-sorted run");

        long Padding(int[] o) => o.Chunk(8).Sum(b => (long)b.Max(i => examples[i].Tokens.Length) * b.Length - b.Sum(i => examples[i].Tokens.Length));
    }

    [Fact]
    public void AResumedRunReachesExactlyTheWeightsOfAnUninterruptedOne()
    {
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        Dictionary<string, float[]> uninterrupted = Run(Path.Combine(folder, "a.ckpt"), cancelAfterStep: null);

        Dictionary<string, float[]> resumed;
        string path = Path.Combine(folder, "b.ckpt");
        Action first = () => Run(path, cancelAfterStep: 5);
        first.Should().Throw<OperationCanceledException>();
        File.Exists(path).Should().BeTrue("the finished steps are checkpointed on cancellation");
        resumed = Run(path, cancelAfterStep: null);

        resumed.Keys.Should().BeEquivalentTo(uninterrupted.Keys);
        foreach ((string name, float[] values) in uninterrupted)
        {
            resumed[name].Should().Equal(values, $"{name} must be bit-identical after a resume");
        }
    }

    [Fact]
    public void ACheckpointOfAnotherConfigurationIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N") + ".ckpt");
        _ = Run(path, cancelAfterStep: null);

        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 4, Dropout = 0.1, Seed = 3 });
        LanguageModelTrainerOptions options = ToyTask.FastOptions(epochs: 3);
        options.CheckpointPath = path;
        options.WeightDecay = 0.01;
        options.Seed = 99;
        Action train = () => new LanguageModelTrainer(options).Train(model, ToyTask.Examples(model.Config.VocabularySize));

        train.Should().Throw<PromptKit.Training.CheckpointException>().WithMessage("*other examples, options or adapters*");
    }

    [Fact]
    public void ProgressReportsEveryStepWithTheCosineSchedule()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 2 });
        var reports = new List<LanguageModelTrainingProgress>();
        LanguageModelTrainerOptions options = ToyTask.FastOptions(epochs: 2);
        options.WarmupRatio = 0.25;

        LanguageModelTrainingResult result = new LanguageModelTrainer(options).Train(model, ToyTask.Examples(model.Config.VocabularySize), new SynchronousProgress(reports));

        result.Steps.Should().Be(4);
        reports.Select(static r => r.Step).Should().Equal(1, 2, 3, 4);
        reports[0].LearningRate.Should().BeApproximately(options.LearningRate, 1e-12, "one warm-up step reaches the peak");
        reports[3].LearningRate.Should().BeLessThan(reports[1].LearningRate);
        result.EpochLosses.Should().HaveCount(2);
    }

    [Fact]
    public void ChatExamplesLearnOnlyTheAssistantTurns()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));

        LanguageModelingExample example = LanguageModelingExample.FromChat(tokenizer,
            [new(Microsoft.Extensions.AI.ChatRole.User, "bash ls"), new(Microsoft.Extensions.AI.ChatRole.Assistant, "notes.txt")]);

        string targets = tokenizer.Decode(example.Tokens.Where((_, i) => example.Targets[i]));
        targets.Should().Be("notes.txt<|im_end|>\n");
        tokenizer.Decode(example.Tokens).Should().Be("<|im_start|>user\nbash ls<|im_end|>\n<|im_start|>assistant\nnotes.txt<|im_end|>\n");
    }

    private static Dictionary<string, float[]> Run(string checkpoint, int? cancelAfterStep)
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 4, Dropout = 0.1, Seed = 3 });
        LanguageModelTrainerOptions options = ToyTask.FastOptions(epochs: 3);
        options.CheckpointPath = checkpoint;
        options.CheckpointInterval = 4;
        options.WeightDecay = 0.01;
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(null, step => { if (step == cancelAfterStep) { cancellation.Cancel(); } });
        new LanguageModelTrainer(options).Train(model, ToyTask.Examples(model.Config.VocabularySize), progress, cancellation.Token);
        return ToyTask.Snapshot(model).Where(static p => p.Key.Contains(".lora_", StringComparison.Ordinal)).ToDictionary(static p => p.Key, static p => p.Value);
    }

    private sealed class SynchronousProgress(List<LanguageModelTrainingProgress>? reports, Action<int>? onStep = null) : IProgress<LanguageModelTrainingProgress>
    {
        public void Report(LanguageModelTrainingProgress value)
        {
            reports?.Add(value);
            onStep?.Invoke(value.Step);
        }
    }
}

public sealed class LanguageModelTrainerGuardTests
{
    [Fact]
    public void ExampleWeightsScaleTheLossInEveryBatch()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        LanguageModelingExample example = ToyTask.Examples(model.Config.VocabularySize, count: 1)[0];
        var light = new LanguageModelingExample(example.Tokens, example.Targets, weight: 0.3);

        double full = LanguageModelTrainer.Loss(model.Network, [example]).item<float>();
        double weighted = LanguageModelTrainer.Loss(model.Network, [light]).item<float>();

        weighted.Should().BeApproximately(0.3 * full, 1e-5, "a batch of one kind is scaled by its weight, not normalized back");
    }

    [Fact]
    public void AMergedOrQuantizedWithoutAdapterModelIsRefused()
    {
        using CausalLanguageModel merged = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        merged.AddAdapter(new LoraOptions { Rank = 2 });
        merged.MergeAdapter();
        using CausalLanguageModel quantized = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama), quantize: true);
        var trainer = new LanguageModelTrainer(ToyTask.FastOptions(epochs: 1));
        List<LanguageModelingExample> examples = ToyTask.Examples(merged.Config.VocabularySize);

        FluentActions.Invoking(() => trainer.Train(merged, examples)).Should().Throw<InvalidOperationException>().WithMessage("*UnmergeAdapter*");
        FluentActions.Invoking(() => trainer.Train(quantized, examples)).Should().Throw<InvalidOperationException>().WithMessage("*AddAdapter*");
    }

    [Fact]
    public void ANonFiniteLossStopsBeforeTheStepAndKeepsTheLastFiniteCheckpoint()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        model.AddAdapter(new LoraOptions { Rank = 2, Dropout = 0 });
        string path = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N") + ".ckpt");
        LanguageModelTrainerOptions options = ToyTask.FastOptions(epochs: 2);
        options.CheckpointPath = path;
        options.CheckpointInterval = 1;
        var examples = ToyTask.Examples(model.Config.VocabularySize);
        var poison = new SynchronousPoison(model, afterStep: 2);

        Action train = () => new LanguageModelTrainer(options).Train(model, examples, poison);

        train.Should().Throw<InvalidOperationException>().WithMessage("*step 3*hold step 2*");
        model.Network.named_parameters().Where(static p => p.name.Contains("lora_B", StringComparison.Ordinal))
            .Should().OnlyContain(p => p.parameter.isfinite().all().item<bool>(), "the bad step never ran");
    }

    /// <summary>After a given step, makes the next loss infinite by writing an infinity into a frozen norm weight.</summary>
    private sealed class SynchronousPoison(CausalLanguageModel model, int afterStep) : IProgress<LanguageModelTrainingProgress>
    {
        public void Report(LanguageModelTrainingProgress value)
        {
            if (value.Step == afterStep)
            {
                using var noGrad = TorchSharp.torch.no_grad();
                model.Network.Backbone.Norm.Weight.fill_(float.PositiveInfinity);
            }
        }
    }
}
