using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.AI;
using PromptKit.Samples;
using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
using PromptKit.TestUtilities.Faults;
using Xunit.Abstractions;

namespace PromptKit.Training.Tests.Faults;

/// <summary>RPP training against the fault-injection server through the real OpenAI client (the simulated recommender
/// behind it, so the environment is deterministic): 30 % of the calls faulted, the run finishes, faults are counted,
/// no reward is invented for a failed call, and the trained policy's test score matches a fault-free run's.</summary>
public sealed class FaultInjectionRppTrainingTests(ITestOutputHelper output)
{
    private static readonly FaultKind[] TransientKinds =
        [FaultKind.ServiceUnavailable, FaultKind.TooManyRequests, FaultKind.Hang, FaultKind.CloseMidBody, FaultKind.SlowStream];

    private static readonly FaultKind[] FinalKinds =
        [FaultKind.TruncatedJson, FaultKind.EmptyChoices, FaultKind.ContentFilter, FaultKind.GarbageText];

    [Fact]
    public async Task TrainAsync_ThirtyPercentTransientFaults_ReachesTheFaultFreeTestScoreExactly()
    {
        await FaultInjectionEvaluatorTests.WarmUpAsync();

        RunResult clean = await TrainAsync(FaultSchedule.None, seed: 1);
        RunResult faulted = await TrainAsync(FaultSchedule.Random(0.3, seed: 5, TransientKinds), seed: 1);
        Report("fault-free", clean);
        Report("30% transient", faulted);

        faulted.Injected.Should().BeGreaterThan(faulted.Requests / 5, "about 30 % of the attempts are faulted");
        (faulted.Stats.FailedAttempts + faulted.Stats.TimedOutAttempts).Should().Be(faulted.Injected, "every injected fault is counted once");
        faulted.Stats.Retries.Should().Be(faulted.Injected, "every transient fault was retried, by PromptKit only");
        faulted.FaultedSteps.Should().Be(0, "every faulted attempt was retried to success");
        faulted.TestScore.Should().Be(clean.TestScore, "retried faults change nothing the trainer sees");
        faulted.MeanStepRewards.Should().Equal(clean.MeanStepRewards);
    }

    [Fact]
    public async Task TrainAsync_ThirtyPercentFaultsOfEveryKind_FinishesAndRewardsNoFailedCall()
    {
        await FaultInjectionEvaluatorTests.WarmUpAsync();

        RunResult clean = await TrainAsync(FaultSchedule.None, seed: 1);
        RunResult other = await TrainAsync(FaultSchedule.None, seed: 2);
        RunResult faulted = await TrainAsync(FaultSchedule.Random(0.3, seed: 5, [.. TransientKinds, .. FinalKinds]), seed: 1);
        Report("fault-free seed 1", clean);
        Report("fault-free seed 2", other);
        Report("30% all kinds", faulted);

        // A final fault (an answer that arrived but is unusable) ends its step with no reward: the trainer's faulted
        // steps are exactly the calls that ended without a usable answer. Garbage text is the model's answer: RPP scores
        // an answer that names no candidate 0 (RppTrainer's ParseFailureScoresZero), so it faults no step.
        long unusable = faulted.Stats.Failures + faulted.Stats.Empty + faulted.Stats.Malformed + faulted.Stats.TimedOut;
        faulted.FaultedSteps.Should().Be(unusable, "each failed call faulted one step and got no reward");
        (faulted.InjectedFinal - faulted.InjectedGarbage).Should().Be(faulted.FaultedSteps, "each final fault but garbage faulted one step, and nothing else did");
        (faulted.Stats.FailedAttempts + faulted.Stats.TimedOutAttempts + faulted.Stats.Malformed + faulted.InjectedGarbage).Should().Be(faulted.Injected);
        faulted.FaultedSteps.Should().BeGreaterThan(0);
        double spread = Math.Max(Math.Abs(clean.TestScore - other.TestScore), 0.02);
        faulted.TestScore.Should().BeApproximately(clean.TestScore, 2 * spread, "faults that cost a few rewards stay within the spread over seeds");
    }

    [Fact]
    public async Task TrainAsync_ServerStartsFailingEveryCall_StopsWithModelUnavailableCheckpointedAndResumes()
    {
        await FaultInjectionEvaluatorTests.WarmUpAsync();
        string folder = Path.Combine(Path.GetTempPath(), $"pk-down-{Guid.NewGuid():N}");
        string checkpoint = Path.Combine(folder, "rpp.ckpt");
        try
        {
            // The first iteration's 24 calls (8 environments x 3 steps) are answered; then every call gets HTTP 503.
            int received = 0;
            var down = FaultSchedule.From((_, _) => Interlocked.Increment(ref received) > 24 ? FaultKind.ServiceUnavailable : FaultKind.None);
            Func<Task> run = () => TrainAsync(down, seed: 1, checkpoint, circuitBreakerRatio: 0.5);

            (await run.Should().ThrowAsync<ModelUnavailableException>()).Which.Message.Should().Contain("HTTP 503");
            File.Exists(checkpoint).Should().BeTrue("the finished first iteration is checkpointed before the stop");

            RunResult resumed = await TrainAsync(FaultSchedule.None, seed: 1, checkpoint, circuitBreakerRatio: 0.5);
            resumed.ResumedAfterIteration.Should().Be(1);
            resumed.Requests.Should().Be(72, "only the three iterations left are run: 3 x 24 calls");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<RunResult> TrainAsync(FaultSchedule schedule, long seed, string? checkpoint = null, double circuitBreakerRatio = 0.9)
    {
        InteractionDataset data = MovieLensData.Dataset;
        RecommendationSplit split = RecommendationSplit.Create(data, new RecommendationSplitOptions { TrainUsers = 24, TestUsers = 24, Seed = 7 });
        RppActionSpaces spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(split.TrainingInteractions), spaces, iterations: 3);
        using var simulator = new SimulatedRecommenderChatClient(split.TrainingInteractions, seed: 7);
        await using FaultInjectionServer server = FaultInjectionServer.Start(simulator, new FaultInjectionServerOptions
        {
            Schedule = schedule,
            HangLimit = TimeSpan.FromSeconds(5),
            SlowPieceDelay = TimeSpan.FromMilliseconds(200),
        });
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "simulated-recommender");
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions
        {
            MaxConcurrency = 8,
            MaxRetryAttempts = 12,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            Timeout = TimeSpan.FromSeconds(1),
            UseCache = false,
            CircuitBreakerFailureRatio = circuitBreakerRatio,
        });
        RppTrainerOptions settings = QuickStartTraining.Options(iterations: 4, seed);
        settings.Trainer.EnvironmentCount = 8;
        ((PpoTrainerOptions)settings.Trainer).MiniBatchSize = 24;
        settings.HiddenSizes = [32];
        settings.Trainer.CheckpointPath = checkpoint;
        var trainer = new RppTrainer(settings);
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);

        TrainingResult result = await trainer.TrainAsync(model, split.Train, encoder, composer, evaluator);
        PromptEvaluatorStatistics stats = evaluator.Statistics;
        long injected = server.TotalInjected;
        long requests = server.Requests;

        // The trained policy is scored against the model directly: faults are part of training, not of the measurement.
        using var clean = new PromptEvaluator(simulator, new PromptEvaluatorOptions { MaxConcurrency = 8 });
        PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(model, encoder, composer, clean);
        var reward = new NdcgReward(10);
        double total = 0;
        foreach (RecommendationExample user in split.Test)
        {
            PersonalizedPrompt prompt = await personalizer.PersonalizeAsync(user);
            total += reward.Evaluate(prompt.Answer.Text ?? string.Empty, user.RankingTarget).Reward;
        }

        long final = 0;
        foreach (FaultKind kind in FinalKinds)
        {
            final += server.Injected(kind);
        }

        return new RunResult(
            total / split.Test.Length,
            result.Last!.TotalFaultedSteps,
            stats,
            injected,
            final,
            server.Injected(FaultKind.GarbageText),
            requests,
            [.. result.History.Select(h => h.MeanStepReward)],
            result.ResumedAfterIteration);
    }

    private void Report(string name, RunResult run) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: test NDCG@10 {run.TestScore:F4}, requests {run.Requests}, injected {run.Injected} (final {run.InjectedFinal}, garbage {run.InjectedGarbage}), failed attempts {run.Stats.FailedAttempts} ({string.Join(", ", run.Stats.FailedAttemptsByStatusCode.Select(p => $"{p.Key}: {p.Value}"))}), timed-out attempts {run.Stats.TimedOutAttempts}, retries {run.Stats.Retries}, malformed {run.Stats.Malformed}, failed {run.Stats.Failures}, faulted steps {run.FaultedSteps}"));

    private sealed record RunResult(
        double TestScore,
        long FaultedSteps,
        PromptEvaluatorStatistics Stats,
        long Injected,
        long InjectedFinal,
        long InjectedGarbage,
        long Requests,
        ImmutableArray<double> MeanStepRewards,
        int ResumedAfterIteration);
}
