using Microsoft.Extensions.Options;

namespace PromptKit.Training.Tests;

public sealed class PpoTrainerTests
{
    [Fact]
    public async Task TrainAsync_ContextualBandit_ReachesNinetyFivePercentOptimal()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 32, Iterations = 40, Epochs = 4, MiniBatchSize = 32, ActorLearningRate = 3e-3, CriticLearningRate = 3e-3, Seed = 3 });

        TrainingResult result = await trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, TrainingRandom.DeriveSeed(7, slot)));

        var probe = new ContextualBandit(8, 4, 0);
        Greedy.OptimalRate(model, probe, 8).Should().Be(1.0);
        Greedy.OptimalProbability(model, probe, 8).Should().BeGreaterThanOrEqualTo(0.95);
        result.History.Should().HaveCount(40);
        result.Last!.MeanStepReward.Should().BeGreaterThan(result.History[0].MeanStepReward);
    }

    [Fact]
    public async Task TrainAsync_Corridor_LearnsMultiStepEpisodes()
    {
        using var model = ActorCriticModel.CreateMlp(6, [2], [32], seed: 2);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 2, StepsPerEnvironment = 64, Iterations = 25, Epochs = 4, MiniBatchSize = 32, ActorLearningRate = 3e-3, CriticLearningRate = 3e-3, Seed = 5 });

        TrainingResult result = await trainer.TrainAsync(model, _ => new Corridor(6, 30));

        result.Last!.MeanEpisodeLength.Should().NotBeNull();
        result.Last.MeanEpisodeLength!.Value.Should().BeLessThan(6.5);
    }

    [Fact]
    public async Task TrainAsync_AdaptiveKlPenalty_StaysCloseToReference()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        using var reference = model.Clone();
        var free = new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 32, Iterations = 15, Epochs = 4, MiniBatchSize = 32, ActorLearningRate = 3e-3, Seed = 3 };
        var penalized = new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 32, Iterations = 15, Epochs = 4, MiniBatchSize = 32, ActorLearningRate = 3e-3, Seed = 3, KlPenalty = KlPenaltyMode.Adaptive, KlCoefficient = 1.0, KlTarget = 0.01 };
        using var freeModel = model.Clone();

        TrainingResult withPenalty = await new PpoTrainer(penalized).TrainAsync(model, slot => new ContextualBandit(8, 4, slot), reference);
        TrainingResult without = await new PpoTrainer(free).TrainAsync(freeModel, slot => new ContextualBandit(8, 4, slot), reference: null);

        withPenalty.Last!.ReferenceKl.Should().NotBeNull();
        without.Last!.ReferenceKl.Should().BeNull();
        double penalizedKl = ReferenceKl(model, reference);
        double freeKl = ReferenceKl(freeModel, reference);
        penalizedKl.Should().BeLessThan(freeKl * 0.5);
        withPenalty.History.Select(h => h.KlCoefficient).Distinct().Count().Should().BeGreaterThan(1, "the adaptive coefficient moves");
    }

    [Fact]
    public async Task TrainAsync_TargetKl_StopsEpochsEarly()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 2, StepsPerEnvironment = 32, Iterations = 3, Epochs = 50, MiniBatchSize = 16, ActorLearningRate = 0.05, TargetKl = 1e-4, Seed = 1 });

        TrainingResult result = await trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        result.History.Should().OnlyContain(h => h.UpdateEpochs < 50);
    }

    [Fact]
    public async Task TrainAsync_KlPenaltyWithoutReference_ThrowsWithParamName()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { KlPenalty = KlPenaltyMode.Fixed });

        Func<Task> act = () => trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("reference");
    }

    [Fact]
    public async Task TrainAsync_EnvironmentDoesNotMatchModel_Throws()
    {
        using var model = ActorCriticModel.CreateMlp(5, [4], seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { Iterations = 1 });

        Func<Task> act = () => trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*observation size 8*expects 5*");
    }

    [Fact]
    public async Task TrainAsync_SameInstanceForTwoSlots_Throws()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        var shared = new ContextualBandit(8, 4, 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { Iterations = 1, EnvironmentCount = 2 });

        Func<Task> act = () => trainer.TrainAsync(model, _ => shared);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*same instance*");
    }

    [Fact]
    public void Constructor_MiniBatchLargerThanRollout_ThrowsListingEveryError()
    {
        Action act = () => _ = new PpoTrainer(new PpoTrainerOptions { MiniBatchSize = 4096, EnvironmentCount = 1, StepsPerEnvironment = 16, Gamma = 2 });

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("MiniBatchSize") && f.Contains("rollout"))
            .And.Contain(f => f.Contains("Gamma"));
    }

    [Fact]
    public async Task TrainAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var trainer = new PpoTrainer(new PpoTrainerOptions { Iterations = 2 });

        Func<Task> act = () => trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, slot), cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task TrainAsync_ResumedFromCheckpoint_MatchesUninterruptedRun()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"promptkit-ppo-resume-{Guid.NewGuid():N}");
        try
        {
            PpoTrainerOptions Options(int iterations, string checkpoint) => new() { EnvironmentCount = 2, StepsPerEnvironment = 16, Iterations = iterations, Epochs = 2, MiniBatchSize = 8, Seed = 9, CheckpointPath = checkpoint, CheckpointInterval = 1 };
            using var uninterrupted = ActorCriticModel.CreateMlp(6, [2], [16], seed: 4);
            TrainingResult expected = await new PpoTrainer(Options(4, Path.Combine(folder, "a.bin"))).TrainAsync(uninterrupted, _ => new Corridor(6, 10));
            using var first = ActorCriticModel.CreateMlp(6, [2], [16], seed: 4);
            await new PpoTrainer(Options(2, Path.Combine(folder, "b.bin"))).TrainAsync(first, _ => new Corridor(6, 10));
            using var resumed = ActorCriticModel.CreateMlp(6, [2], [16], seed: 123);

            TrainingResult actual = await new PpoTrainer(Options(4, Path.Combine(folder, "b.bin"))).TrainAsync(resumed, _ => new Corridor(6, 10));

            actual.ResumedAfterIteration.Should().Be(2);
            actual.History.Select(h => h.Iteration).Should().Equal(3, 4);
            actual.Last!.TotalSteps.Should().Be(expected.Last!.TotalSteps);
            actual.Last.PolicyLoss.Should().Be(expected.Last.PolicyLoss);
            var want = uninterrupted.state_dict();
            foreach (var (name, tensor) in resumed.state_dict())
            {
                tensor.allclose(want[name], rtol: 0, atol: 0).Should().BeTrue($"parameter {name} matches the uninterrupted run");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static double ReferenceKl(ActorCriticModel model, ActorCriticModel reference)
    {
        var probe = new ContextualBandit(8, 4, 0);
        double kl = 0;
        Span<float> p = stackalloc float[4];
        Span<float> q = stackalloc float[4];
        for (int c = 0; c < 8; c++)
        {
            model.GetPolicy(0).GetProbabilities(probe.Observe(c).AsSpan(), p);
            reference.GetPolicy(0).GetProbabilities(probe.Observe(c).AsSpan(), q);
            for (int a = 0; a < 4; a++)
            {
                kl += p[a] * Math.Log(p[a] / q[a]);
            }
        }

        return kl / 8;
    }
}
