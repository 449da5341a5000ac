using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using PromptKit.OnnxRuntime;
using PromptKit.Training;

namespace PromptKit.Training.Tests;

public sealed partial class RppTrainerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pk-rpp-{Guid.NewGuid():N}");

    public RppTrainerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TrainAsync_SaveLoad_PersonalizerBuildsTheSamePrompts()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 3);
        var client = new CandidateOrderClient();
        using var evaluator = new PromptEvaluator(client);
        var trainer = new RppTrainer(new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Iterations = 3, EnvironmentCount = 2, GaeLambda = 0, Seed = 1 }, HiddenSizes = [16] });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        TrainingResult result = await trainer.TrainAsync(model, users, encoder, composer, evaluator);
        string path = Path.Combine(_folder, "rpp.bin");
        model.SaveWeights(path);
        using ActorCriticModel loaded = new RppTrainer(new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Seed = 99 }, HiddenSizes = [16] }).CreateModel(encoder, spaces);
        loaded.LoadWeights(path);
        PersonalizedPrompt original = await RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator).PersonalizeAsync(users[0]);
        PersonalizedPrompt reloaded = await RppTrainer.CreatePersonalizer(loaded, encoder, composer, evaluator).PersonalizeAsync(users[0]);

        result.History.Should().HaveCount(3);
        result.Last!.TotalSteps.Should().Be(3 * 2 * 3);
        composer.Render(reloaded.Prompt).Should().Be(composer.Render(original.Prompt));
        reloaded.Selections.Should().Equal(original.Selections);
        original.ModelCalls.Should().Be(3);
    }

    [Fact]
    public async Task TrainAsync_CallBudgetSpent_StopsCheckpointedAndAResumeFinishes()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 3);
        string checkpoint = Path.Combine(_folder, "rpp.ckpt");
        RppTrainerOptions Options() => new() { Trainer = new ActorCriticTrainerOptions { Iterations = 4, EnvironmentCount = 2, GaeLambda = 0, Seed = 1, CheckpointPath = checkpoint, CheckpointInterval = 10 }, HiddenSizes = [8] };

        // 2 environments x 3 steps = 6 calls an iteration (no cache): 15 calls finish two iterations and stop the third.
        var budget = new CallBudget(maxCalls: 15);
        using (var evaluator = new PromptEvaluator(new CandidateOrderClient(), new PromptEvaluatorOptions { UseCache = false, Budget = budget }))
        {
            var trainer = new RppTrainer(Options());
            using ActorCriticModel model = trainer.CreateModel(encoder, spaces);
            Func<Task> run = () => trainer.TrainAsync(model, users, encoder, composer, evaluator);

            await run.Should().ThrowAsync<CallBudgetExceededException>();
        }

        budget.Calls.Should().Be(15);
        File.Exists(checkpoint).Should().BeTrue("the stop writes the last finished iteration although the checkpoint interval is 10");

        using var unlimited = new PromptEvaluator(new CandidateOrderClient(), new PromptEvaluatorOptions { UseCache = false });
        var resumed = new RppTrainer(Options());
        using ActorCriticModel again = resumed.CreateModel(encoder, spaces);
        TrainingResult result = await resumed.TrainAsync(again, users, encoder, composer, unlimited);

        result.ResumedAfterIteration.Should().Be(2);
        result.History.Should().HaveCount(2);
        unlimited.Statistics.ModelCalls.Should().Be(12);
    }

    [Fact]
    public async Task TrainAsync_Ppo_ExportedOnnxActorsBuildTheSamePromptsWithoutTorch()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 3);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient());
        var trainer = new RppTrainer(new RppTrainerOptions { Trainer = new PpoTrainerOptions { Iterations = 2, EnvironmentCount = 2, Epochs = 4, MiniBatchSize = 4, GaeLambda = 0, Seed = 3 }, HiddenSizes = [16], GruHiddenSize = 8 });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        TrainingResult result = await trainer.TrainAsync(model, users, encoder, composer, evaluator);
        IReadOnlyList<string> files = model.ExportToOnnx(Path.Combine(_folder, "onnx"));
        var cpu = new OnnxPolicyOptions { Session = { ExecutionProvider = OnnxExecutionProvider.Cpu } };
        OnnxPolicy[] actors = [.. files.Take(4).Select(f => new OnnxPolicy(f, cpu))];
        try
        {
            var onnx = new PromptPersonalizer(actors, encoder, composer, evaluator);
            PromptPersonalizer torch = RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator);
            foreach (RecommendationExample user in users)
            {
                PersonalizedPrompt expected = await torch.PersonalizeAsync(user);
                PersonalizedPrompt actual = await onnx.PersonalizeAsync(user);
                actual.Selections.Should().Equal(expected.Selections);
                composer.Render(actual.Prompt).Should().Be(composer.Render(expected.Prompt));
            }
        }
        finally
        {
            foreach (OnnxPolicy actor in actors)
            {
                actor.Dispose();
            }
        }

        result.History.Should().HaveCount(2);
        result.Last!.UpdateEpochs.Should().BeGreaterThan(1, "PPO takes several passes over each rollout");
        model.GetActor(0).Should().BeOfType<GruPolicyNetwork>().Which.SequenceLength.Should().Be(encoder.RankedItems);
    }

    [Fact]
    public async Task PersonalizeAsync_WithRefiner_UsesRefinedSentencesAndCachesThem()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 2);
        var client = new CandidateOrderClient();
        using var evaluator = new PromptEvaluator(client);
        var refiner = new RppRefiner(evaluator, spaces);
        using ActorCriticModel model = new RppTrainer(new RppTrainerOptions { HiddenSizes = [8] }).CreateModel(encoder, spaces);

        PersonalizedPrompt result = await RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator, refiner).PersonalizeAsync(users[0]);

        string text = composer.Render(result.Prompt);
        text.Should().Contain("REFINED:");
        var chosen = result.Selections
            .SelectMany(s => new[] { (RppPattern.RolePlaying, s.RolePlaying), (RppPattern.HistoryRecords, s.HistoryRecords), (RppPattern.ReasoningGuidance, s.ReasoningGuidance), (RppPattern.OutputFormat, s.OutputFormat) })
            .Where(c => spaces.GetSentence(c.Item1, c.Item2).Length > 0)
            .ToList();
        result.Selections.Should().HaveCount(2);
        (refiner.Calls + refiner.CacheHits).Should().Be(chosen.Count, "every non-empty chosen sentence is refined, by a call or from the cache");
        refiner.Calls.Should().BeGreaterThanOrEqualTo(chosen.Distinct().Count(), "one call per distinct sentence and context");
        client.RefinementCalls.Should().Be((int)refiner.Calls);
        client.RefinementContexts.Should().OnlyContain(c => c.Contains("<user_data name=\"history\">", StringComparison.Ordinal), "the sentence is refined for this user's shown history");
        refiner.Rejections.Should().Be(0);
    }

    [Theory]
    [InlineData("I'm sorry, but I can't help with rewriting prompts.")]
    [InlineData("Error: the upstream model is overloaded, please retry later.")]
    [InlineData("")]
    [InlineData("Bananas are an excellent source of potassium and fibre.")]
    public async Task PersonalizeAsync_RefinerAnswersANonSentence_KeepsTheOriginalAndCountsTheRejection(string answer)
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 2);
        var client = new CandidateOrderClient(_ => answer);
        using var evaluator = new PromptEvaluator(client);
        var refiner = new RppRefiner(evaluator, spaces);
        using ActorCriticModel model = new RppTrainer(new RppTrainerOptions { HiddenSizes = [8] }).CreateModel(encoder, spaces);

        PersonalizedPrompt result = await RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator, refiner).PersonalizeAsync(users[0]);

        result.Selections.Should().OnlyContain(s => s.RefinedRolePlaying == null && s.RefinedHistoryRecords == null && s.RefinedReasoningGuidance == null && s.RefinedOutputFormat == null);
        composer.Render(result.Prompt).Should().NotContain(answer.Length == 0 ? "\u0000" : answer);
        (refiner.Rejections + refiner.Failures).Should().Be(refiner.Calls).And.BeGreaterThan(0);
        (answer.Length == 0 ? refiner.Failures : refiner.Rejections).Should().BeGreaterThan(0, "an empty answer is a failure, a non-sentence a rejection");
    }

    [Fact]
    public async Task RefineAsync_MaxCallsReached_KeepsTheOriginalAndCountsTheSkips()
    {
        (List<RecommendationExample> users, InteractionDataset data) = TinyData();
        var spaces = RppActionSpaces.Default;
        var client = new CandidateOrderClient();
        using var evaluator = new PromptEvaluator(client);
        var refiner = new RppRefiner(evaluator, spaces, maxCalls: 2);
        var episode = new RppEpisode(users[0], new RppPromptComposer(spaces));
        var selection = new RppSelection(1, 0, 0, 0);

        RppSelection refined = await refiner.RefineAsync(selection, episode.GetRefinementContext(selection));

        refiner.Calls.Should().Be(2);
        refiner.BudgetSkips.Should().Be(2);
        refined.RefinedRolePlaying.Should().StartWith("REFINED:");
        refined.RefinedOutputFormat.Should().BeNull();
        FluentActions.Invoking(() => new RppRefiner(evaluator, spaces, maxCalls: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxCalls");
        await FluentActions.Awaiting(() => refiner.RefineAsync(selection, null!)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("context");
    }

    [Fact]
    public async Task TrainAsync_AnswersThatNeverParse_AreRewardedZeroNotDropped()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 3);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient(ranking: "I would need more information about this user first."));
        var trainer = new RppTrainer(new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Iterations = 2, EnvironmentCount = 2, GaeLambda = 0, Seed = 1 }, HiddenSizes = [8] });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        TrainingResult result = await trainer.TrainAsync(model, users, encoder, composer, evaluator);

        result.Last!.TotalFaultedSteps.Should().Be(0, "a parse failure is a reward, not a fault");
        result.Last.TotalSteps.Should().Be(2 * 2 * 3, "no step is dropped");
        result.History.Should().OnlyContain(p => p.MeanStepReward == 0);
    }

    [Fact]
    public async Task Environment_WithResampler_FreshNegativesPerEpisode_RestoredFromTheCheckpoint()
    {
        (List<RecommendationExample> users, InteractionDataset data) = TinyData(itemCount: 40);
        var spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(data), spaces, iterations: 3);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient());
        var scorer = new PromptScorer<RankingTarget>(evaluator, new NdcgReward(10), composer.Format);
        var resampler = new CandidateResampler(data);
        var environment = new RppEnvironment(users, encoder, composer, scorer, seed: 5, negatives: resampler);
        var candidateSets = new HashSet<string>(StringComparer.Ordinal);
        for (int episode = 0; episode < 6; episode++)
        {
            await environment.ResetAsync();
            RecommendationExample example = environment.Episode!.Example;
            users.Should().Contain(u => u.UserId == example.UserId && u.Target.Id == example.Target.Id);
            candidateSets.Add(example.UserId + ":" + string.Join(",", example.Candidates.Select(c => c.Id)));
        }

        await environment.StepAsync(new[] { 1, 0, 2, 0 });
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            environment.SaveState(writer);
        }

        buffer.Position = 0;
        var restored = new RppEnvironment(users, encoder, composer, scorer, seed: 99, negatives: resampler);
        using (var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            restored.LoadState(reader);
        }

        buffer.Position = 0;
        var withoutResampler = new RppEnvironment(users, encoder, composer, scorer, seed: 5);
        Action mismatch = () => withoutResampler.LoadState(new BinaryReader(buffer));

        mismatch.Should().Throw<InvalidDataException>().WithMessage("*fresh negatives*");
        candidateSets.Should().HaveCount(6, "each episode draws its own negatives");
        restored.Episode!.Example.Candidates.Select(c => c.Id).Should().Equal(environment.Episode!.Example.Candidates.Select(c => c.Id));
        restored.Episode.Iteration.Should().Be(1);
    }

    [Fact]
    public async Task TrainAsync_ValidationUserAlsoTraining_ThrowsWithParamName()
    {
        (List<RecommendationExample> users, InteractionDataset data) = TinyData();
        var spaces = RppActionSpaces.Default;
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(data), spaces, iterations: 3);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient());
        var trainer = new RppTrainer(new RppTrainerOptions { HiddenSizes = [8] });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        Func<Task> act = () => trainer.TrainAsync(model, users, encoder, new RppPromptComposer(spaces), evaluator, validationUsers: [users[0]]);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("validationUsers").WithMessage("*disjoint*");
    }

    [Fact]
    public async Task TrainAsync_ValidationUsers_KeepsTheBestValidatedIteration()
    {
        (List<RecommendationExample> users, RppActionSpaces spaces, RppPromptComposer composer, RppStateEncoder encoder) = TinySetup(iterations: 3);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient());
        var trainer = new RppTrainer(new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Iterations = 4, EnvironmentCount = 2, GaeLambda = 0, ValidateEvery = 2, Seed = 1 }, HiddenSizes = [8] });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        TrainingResult result = await trainer.TrainAsync(model, users.GetRange(0, 2), encoder, composer, evaluator, validationUsers: users.GetRange(2, 2));

        result.History.Select(h => h.ValidationScore.HasValue).Should().Equal(false, true, false, true);
        result.BestIteration.Should().BeOneOf(2, 4);
        double score = await RppTrainer.ScoreAsync(RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator), users.GetRange(2, 2));
        score.Should().Be(result.BestValidationScore!.Value, "the model ends with the weights that scored best");
    }

    [Fact]
    public void Constructor_KlPenaltyOrSamePaths_ThrowsNamingThem()
    {
        var trainerOptions = new PpoTrainerOptions { KlPenalty = KlPenaltyMode.Fixed, CheckpointPath = "run.bin", LearningCurvePath = "run.bin" };

        Action act = () => _ = new RppTrainer(new RppTrainerOptions { Trainer = trainerOptions });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("KlPenalty")).And.Contain(f => f.Contains("same file"));
    }

    [Fact]
    public void Constructor_CallerChangesOptionsAfterwards_TrainerKeepsItsCopy()
    {
        var options = new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Seed = 5 }, HiddenSizes = [8] };
        var trainer = new RppTrainer(options);
        (_, InteractionDataset data) = TinyData();
        var spaces = RppActionSpaces.Default;
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(data), spaces, iterations: 3);

        options.Trainer = null!;
        options.HiddenSizes = [];
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);
        using ActorCriticModel expected = new RppTrainer(new RppTrainerOptions { Trainer = new ActorCriticTrainerOptions { Seed = 5 }, HiddenSizes = [8] }).CreateModel(encoder, spaces);

        model.ArchitectureFingerprint().Should().Be(expected.ArchitectureFingerprint());
    }

    [Fact]
    public void Constructor_InvalidUpdateSettings_ThrowsNamingEachOne()
    {
        Action act = () => _ = new RppTrainer(new RppTrainerOptions { GruHiddenSize = 0, Trainer = new PpoTrainerOptions { Epochs = 0 }, HiddenSizes = [] });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>()
            .Which.Failures.Should().HaveCount(3)
            .And.Contain(f => f.Contains(nameof(RppTrainerOptions.GruHiddenSize)))
            .And.Contain(f => f.Contains("Trainer") && f.Contains(nameof(PpoTrainerOptions.Epochs)))
            .And.Contain(f => f.Contains(nameof(RppTrainerOptions.HiddenSizes)));
    }

    [Fact]
    public void PromptPersonalizer_WrongAgentCount_ThrowsWithParamName()
    {
        (_, InteractionDataset data) = TinyData();
        var spaces = RppActionSpaces.Default;
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(data), spaces, 2);
        using var evaluator = new PromptEvaluator(new CandidateOrderClient());
        using ActorCriticModel model = ActorCriticModel.CreateMlp(encoder.Dimension, [5, 12, 9], seed: 1);

        Action act = () => _ = new PromptPersonalizer([model.GetPolicy(0), model.GetPolicy(1), model.GetPolicy(2)], encoder, new RppPromptComposer(spaces), evaluator);

        act.Should().Throw<ArgumentException>().WithParameterName("agents");
    }

    /// <summary>The tiny users with the default action spaces, a composer and a state encoder of <paramref name="iterations"/> steps.</summary>
    private static (List<RecommendationExample> Users, RppActionSpaces Spaces, RppPromptComposer Composer, RppStateEncoder Encoder) TinySetup(int iterations)
    {
        (List<RecommendationExample> users, InteractionDataset data) = TinyData();
        RppActionSpaces spaces = RppActionSpaces.Default;
        return (users, spaces, new RppPromptComposer(spaces), new RppStateEncoder(new ItemFeatureEncoder(data), spaces, iterations));
    }

    /// <summary>Four users over a catalogue of <paramref name="itemCount"/> movies (16 are used by the histories and candidates).</summary>
    private static (List<RecommendationExample> Users, InteractionDataset Data) TinyData(int itemCount = 16)
    {
        var items = Enumerable.Range(1, itemCount).Select(i => new RecommendationItem($"m{i}", $"Movie {i}", [i % 2 == 0 ? "Drama" : "Comedy"], 1990 + i)).ToList();
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var profiles = new List<UserProfile>();
        var users = new List<RecommendationExample>();
        for (int u = 0; u < 4; u++)
        {
            var history = Enumerable.Range(0, 6).Select(k => new UserInteraction(items[(u + k) % 16].Id, 3 + (k % 3), start.AddDays((u * 10) + k))).ToList();
            profiles.Add(new UserProfile($"u{u}", history));
            var candidates = Enumerable.Range(6, 10).Select(k => items[(u + k) % 16]).ToList();
            users.Add(new RecommendationExample($"u{u}", history, history.Select(h => items.First(i => i.Id == h.ItemId)), candidates[3], candidates));
        }

        return (users, new InteractionDataset(items, profiles));
    }

    /// <summary>Ranks the candidates in the order the prompt lists them; answers refinement requests with "REFINED: …".</summary>
    private sealed partial class CandidateOrderClient(Func<string, string>? refine = null, string? ranking = null) : IChatClient
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _contexts = [];
        private int _refinements;

        public int RefinementCalls => _refinements;

        public IReadOnlyCollection<string> RefinementContexts => _contexts;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            string all = string.Join("\n", list.Select(m => m.Text));
            if (all.Contains("Rewrite this", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _refinements);
                string sentence = list[^1].Text.Split("\n\n")[0];
                _contexts.Add(list[^1].Text);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, refine is null ? "REFINED: " + sentence : refine(sentence))));
            }

            string answer = ranking ?? string.Join("\n", IdPattern().Matches(all).Select((m, i) => $"{i + 1}. {m.Value}").Distinct());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        [GeneratedRegex(@"\[m\d+\]")]
        private static partial Regex IdPattern();
    }
}
