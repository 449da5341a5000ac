using System.Collections.Immutable;

namespace PromptKit.Training.Tests;

public sealed class PromptRewritingTests
{
    private static readonly string[] Noise = ["noise", "clutter", "filler", "static", "chaff"];

    // Author i's target is three of the keywords in a per-author order; the synthesis shows them among noise.
    private static RewritingExample Example(int i, params string[] extra)
    {
        string[] words = ["alpha", "beta", "gamma", "delta", "omega"];
        string[] target = [words[i % 5], words[(i + 2) % 5], words[(i + 4) % 5]];
        string[] items = [.. target.Reverse(), .. Noise.Take(1 + (i % 3)), .. extra];
        Prompt prompt = new PromptBuilder()
            .AddInstruction("Write the draft.")
            .AddQuery($"Topic {target[0]}")
            .AddSummary("An unrelated sentence about the weather.")
            .AddSynthesis(items)
            .Build();
        return new RewritingExample($"author-{i}", prompt, ["draft: " + string.Join(' ', target)]);
    }

    private static PromptRewriterTrainerOptions Options(int iterations = 10) => new()
    {
        Rewriter = new PointerRewriterOptions { MaxElements = 10, MaxLength = 8 },
        HiddenSize = 32,
        CandidatesPerExample = 24,
        Supervised = new SupervisedTrainerOptions { Epochs = 60, MiniBatchSize = 32, LearningRate = 3e-3, Seed = 3 },
        Reinforcement = new PpoTrainerOptions
        {
            EnvironmentCount = 4,
            StepsPerEnvironment = 32,
            Iterations = iterations,
            Epochs = 4,
            MiniBatchSize = 64,
            Gamma = 1,
            ActorLearningRate = 1e-3,
            CriticLearningRate = 1e-3,
            KlPenalty = KlPenaltyMode.Fixed,
            KlCoefficient = 0.05,
            Seed = 5,
        },
        Seed = 7,
    };

    private static (PromptEvaluator Evaluator, PromptScorer<IReadOnlyList<string>> Scorer, KeywordEchoClient Client) Model()
    {
        var client = new KeywordEchoClient();
        var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 1, MaxRetryAttempts = 0 });
        return (evaluator, new PromptScorer<IReadOnlyList<string>>(evaluator, PromptRewriterTrainer.CreateReward()), client);
    }

    [Fact]
    public void Sample_IsSeededAndStaysInsideTheLayout()
    {
        var layout = new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 10, MaxLength = 5, MaxCopies = 2 });
        ImmutableArray<RewriteElement> elements = layout.GetElements(Example(0).Prompt);
        var first = new List<ImmutableArray<int>>();
        var second = new List<ImmutableArray<int>>();
        var a = new TrainingRandom(1);
        var b = new TrainingRandom(1);
        for (int i = 0; i < 200; i++)
        {
            first.Add(RewriteVariants.Sample(elements, layout, a, repeatProbability: 0.5));
            second.Add(RewriteVariants.Sample(elements, layout, b, repeatProbability: 0.5));
        }

        first.Select(s => string.Join(',', s)).Should().Equal(second.Select(s => string.Join(',', s)));
        foreach (ImmutableArray<int> sequence in first)
        {
            sequence.Length.Should().BeLessThanOrEqualTo(5);
            sequence.All(i => i >= 0 && i < elements.Length).Should().BeTrue();
            sequence.GroupBy(i => i).All(g => g.Count() <= 2).Should().BeTrue();
            sequence.Select(i => elements[i].ComponentOrdinal).Should().BeInAscendingOrder("components stay in prompt order");
        }

        first.Should().Contain(s => s.Length < elements.Length, "elements get dropped");
        first.Should().Contain(s => s.Distinct().Count() < s.Length, "elements get repeated");
        first.Should().Contain(s => s.Zip(s.Skip(1)).Any(p => p.First > p.Second && elements[p.First].ComponentOrdinal == elements[p.Second].ComponentOrdinal), "elements get reordered");
        FluentActions.Invoking(() => RewriteVariants.Sample(elements, layout, a, minKeepProbability: 1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minKeepProbability");
    }

    [Fact]
    public void ToSupervisedExamples_OneStepPerElementThenStop_WithMasks()
    {
        var layout = new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 10, MaxLength = 8, MaxCopies = 1 });
        Prompt prompt = Example(0).Prompt;

        ImmutableArray<SupervisedExample> examples = RewriteVariants.ToSupervisedExamples(layout, prompt, [3, 1]);

        examples.Select(e => e.Labels[0]).Should().Equal(3, 1, layout.StopAction);
        examples[1].Mask[3].Should().BeFalse("element 3 has used its only copy");
        examples[2].Mask[layout.StopAction].Should().BeTrue();
        examples[0].Observation.Length.Should().Be(layout.ObservationSize);
        FluentActions.Invoking(() => RewriteVariants.ToSupervisedExamples(layout, prompt, [1, 1])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task LabelAsync_TheBestCandidateIsTheLabel_AndBeatsTheOriginal()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, KeywordEchoClient client) = Model();
        using PromptEvaluator owned = evaluator;
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(16), Options());
        RewritingExample[] examples = [.. Enumerable.Range(0, 6).Select(i => Example(i))];

        ImmutableArray<RewriteLabel> labels = await trainer.LabelAsync(examples);

        labels.Should().HaveCount(6);
        foreach (RewriteLabel label in labels)
        {
            label.CandidatesScored.Should().Be(25);
            label.Reward.Should().BeGreaterThan(label.OriginalReward, "dropping noise keywords raises the reward");
            Prompt best = PointerRewriteEpisode.Compose(label.Example.Prompt, trainer.Layout.GetElements(label.Example.Prompt), label.Sequence);
            PromptScore rescored = await scorer.ScoreAsync(best, label.Example.References);
            rescored.Reward.Should().Be(label.Reward, "the label is the scored candidate itself");
        }

        client.Calls.Should().BeLessThanOrEqualTo(6 * 25, "each candidate costs at most one call (repeats are cached)");
    }

    [Fact]
    public async Task LabelAsync_EveryCandidateFails_NoLabelAndNoInventedReward()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(16), Options() is var o ? new PromptRewriterTrainerOptions { Rewriter = o.Rewriter, CandidatesPerExample = 2, MinKeepProbability = 1, Seed = 1 } : null);

        // "poison" (an outage) and "silence" (an empty answer) are in every candidate that keeps all items.
        ImmutableArray<RewriteLabel> labels = await trainer.LabelAsync([Example(0, "poison", "silence"), Example(1)]);

        labels.Should().ContainSingle().Which.Example.Id.Should().Be("author-1");
    }

    [Fact]
    public async Task Environment_RewardOnlyWhenTheRewriteEnds_FaultsCountedAndRetryable()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var layout = new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 10, MaxLength = 8 });
        var environment = new PromptRewritingEnvironment([Example(0, "poison")], layout, scorer, seed: 1);

        await environment.ResetAsync();
        var mask = new bool[layout.ActionCount];
        environment.GetActionMask(0, mask);
        mask.Count(m => m).Should().Be(7, "six elements and stop");

        EnvironmentStep step = await environment.StepAsync(new[] { 1 });
        step.Reward.Should().Be(0);
        step.IsDone.Should().BeFalse();

        (await environment.StepAsync(new[] { 5 })).IsDone.Should().BeFalse("element 5 is the poison item");
        EnvironmentStep faulted = await environment.StepAsync(new[] { layout.StopAction });
        faulted.IsFaulted.Should().BeTrue("the rewrite keeps the poison item, so the call fails");
        faulted.Reward.Should().Be(0);
        environment.FaultedSteps.Should().Be(1);
        environment.ModelCalls.Should().Be(1);

        // The fault rewound the finishing action: a retry replays it from the same state (and fails again here).
        environment.GetActionMask(0, mask);
        mask[layout.StopAction].Should().BeTrue();
        (await environment.StepAsync(new[] { layout.StopAction })).IsFaulted.Should().BeTrue();
        environment.FaultedSteps.Should().Be(2);
        environment.LastScore!.Reward.Should().BeNull("no reward is invented for a failed call");
    }

    [Fact]
    public async Task Environment_RelativeReward_IsTheGainOverTheOriginalPrompt()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var layout = new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 10, MaxLength = 8 });
        RewritingExample example = Example(0);
        var absolute = new PromptRewritingEnvironment([example], layout, scorer, seed: 1);
        var relative = new PromptRewritingEnvironment([example], layout, scorer, seed: 1, rewardRelativeToOriginal: true);
        double original = (await scorer.ScoreAsync(example.Prompt, example.References)).Reward!.Value;

        await absolute.ResetAsync();
        await relative.ResetAsync();
        await absolute.StepAsync(new[] { 3 });
        await relative.StepAsync(new[] { 3 });
        double raw = (await absolute.StepAsync(new[] { layout.StopAction })).Reward;
        double gain = (await relative.StepAsync(new[] { layout.StopAction })).Reward;

        gain.Should().BeApproximately(raw - original, 1e-12);
        relative.ModelCalls.Should().Be(2, "the rewrite and the original prompt");
    }

    [Fact]
    public async Task Environment_SaveAndLoadState_ContinuesTheSameEpisode()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var layout = new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 10, MaxLength = 8 });
        RewritingExample[] examples = [Example(0), Example(1), Example(2)];
        var original = new PromptRewritingEnvironment(examples, layout, scorer, seed: 3);
        await original.ResetAsync();
        await original.StepAsync(new[] { 2 });
        using var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            original.SaveState(writer);
        }

        var restored = new PromptRewritingEnvironment(examples, layout, scorer, seed: 99);
        state.Position = 0;
        using (var reader = new BinaryReader(state))
        {
            restored.LoadState(reader);
        }

        EnvironmentStep a = await original.StepAsync(new[] { layout.StopAction });
        EnvironmentStep b = await restored.StepAsync(new[] { layout.StopAction });
        b.Reward.Should().Be(a.Reward);
        (await restored.ResetAsync()).Observation.Should().Equal((await original.ResetAsync()).Observation, "the example draws continue identically");
    }

    [Fact]
    public async Task Supervised_ThenPpo_LearnsToDropTheNoise_BeyondTheOriginalPrompt()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(32), Options(iterations: 15));
        RewritingExample[] train = [.. Enumerable.Range(0, 20).Select(i => Example(i))];
        RewritingExample[] validation = [.. Enumerable.Range(20, 5).Select(i => Example(i))];
        RewritingExample[] test = [.. Enumerable.Range(25, 10).Select(i => Example(i))];
        using IPromptRewriter identity = new PromptRewriterBuilder().Build();
        double original = (await trainer.EvaluateAsync(identity, test)).MeanReward;

        ImmutableArray<RewriteLabel> labels = await trainer.LabelAsync(train);
        using ActorCriticModel model = trainer.CreateModel(seed: 11);
        SupervisedTrainingResult fit = trainer.TrainSupervised(model, labels);
        fit.History[^1].Loss.Should().BeLessThan(fit.History[0].Loss * 0.8, "behaviour cloning fits the labels");
        double supervised = (await trainer.EvaluateAsync(trainer.CreateRewriter(model), test)).MeanReward;

        using ActorCriticModel reference = model.Clone();
        TrainingResult run = await trainer.TrainReinforcedAsync(model, train, reference, validation);
        double reinforced = (await trainer.EvaluateAsync(trainer.CreateRewriter(model), test)).MeanReward;

        supervised.Should().BeGreaterThan(original + 0.1, "the SL rewriter drops noise on unseen examples");
        reinforced.Should().BeGreaterThan(original + 0.1);
        run.BestIteration.Should().NotBeNull("validation examples choose the weights kept");
    }

    [Fact]
    public async Task Ppo_FromScratch_ImprovesOnTheUntrainedPolicy()
    {
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(32), Options(iterations: 25));
        RewritingExample[] train = [.. Enumerable.Range(0, 20).Select(i => Example(i))];
        using ActorCriticModel model = trainer.CreateModel(seed: 4);

        TrainingResult run = await trainer.TrainReinforcedAsync(model, train);

        double first = run.History.Take(5).Average(i => i.MeanEpisodeReturn ?? 0);
        double last = run.History.TakeLast(5).Average(i => i.MeanEpisodeReturn ?? 0);
        last.Should().BeGreaterThan(first + 0.1, "PPO raises the mean episode reward");
    }

    [Fact]
    public void Arguments_AreChecked()
    {
        Prompt noEditable = new PromptBuilder().AddInstruction("Write.").AddQuery("t").Build();
        FluentActions.Invoking(() => new RewritingExample("a", noEditable, ["text"])).Should().Throw<ArgumentException>().WithParameterName("prompt");
        FluentActions.Invoking(() => new RewritingExample("a", Example(0).Prompt, [])).Should().Throw<ArgumentException>().WithParameterName("references");
        (PromptEvaluator evaluator, PromptScorer<IReadOnlyList<string>> scorer, _) = Model();
        using PromptEvaluator owned = evaluator;
        FluentActions.Invoking(() => new PromptRewriterTrainer(scorer, new HashedTextEncoder(8), new PromptRewriterTrainerOptions { CandidatesPerExample = 0, RepeatProbability = 2 }))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*CandidatesPerExample*RepeatProbability*");
        FluentActions.Invoking(() => PromptRewriterTrainer.CreateReward(bleu: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("bleu");
        FluentActions.Invoking(() => PromptRewriterTrainer.CreateReward(0, 0, 0, 0)).Should().Throw<ArgumentOutOfRangeException>();
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(8), Options());
        using ActorCriticModel wrong = ActorCriticModel.CreateMlp(5, [3]);
        FluentActions.Invoking(() => trainer.TrainSupervised(wrong, [new RewriteLabel(Example(0), [0], 1, 0, 1)])).Should().Throw<ArgumentException>().WithParameterName("model");
        FluentActions.Awaiting(() => trainer.TrainReinforcedAsync(trainer.CreateModel(1), [Example(0)], validation: [Example(0)])).Should().ThrowAsync<ArgumentException>().WithParameterName("validation");
    }
}
