using PromptKit.Samples;
namespace PromptKit.Training.Tests;

public sealed class ActorCriticTrainerTests
{
    [Fact]
    public async Task TrainAsync_ContextualBandit_ReachesNinetyFivePercentOptimal()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        var trainer = new ActorCriticTrainer(new ActorCriticTrainerOptions { EnvironmentCount = 8, StepsPerEnvironment = 4, Iterations = 300, ActorLearningRate = 3e-3, CriticLearningRate = 3e-3, GaeLambda = 0, Seed = 3 });

        await trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, TrainingRandom.DeriveSeed(11, slot)));

        var probe = new ContextualBandit(8, 4, 0);
        Greedy.OptimalRate(model, probe, 8).Should().Be(1.0);
        Greedy.OptimalProbability(model, probe, 8).Should().BeGreaterThanOrEqualTo(0.95);
    }

    [Fact]
    public async Task TrainAsync_CoordinationGame_AgentsFindTheJointOptimum()
    {
        using var model = ActorCriticModel.CreateMlp(1, [3, 3], [16], seed: 4);
        var trainer = new ActorCriticTrainer(new ActorCriticTrainerOptions { EnvironmentCount = 16, StepsPerEnvironment = 1, Iterations = 250, ActorLearningRate = 5e-3, CriticLearningRate = 5e-3, GaeLambda = 0, EntropyCoefficient = 0.02, Seed = 9 });

        TrainingResult result = await trainer.TrainAsync(model, _ => new CoordinationGame());

        Span<float> p0 = stackalloc float[3];
        Span<float> p1 = stackalloc float[3];
        model.GetPolicy(0).GetProbabilities([1f], p0);
        model.GetPolicy(1).GetProbabilities([1f], p1);
        PolicyMath.ArgMax(p0).Should().Be(2);
        PolicyMath.ArgMax(p1).Should().Be(2);
        ((double)p0[2] * p1[2]).Should().BeGreaterThanOrEqualTo(0.9);
        result.Last!.MeanStepReward.Should().BeGreaterThan(0.85);
    }

    [Fact]
    public async Task TrainAsync_ProgressAndLearningCurve_OneRowPerIteration()
    {
        string csv = Path.Combine(Path.GetTempPath(), $"pk-curve-{Guid.NewGuid():N}.csv");
        try
        {
            using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
            var reports = new List<TrainingProgress>();
            var trainer = new ActorCriticTrainer(new ActorCriticTrainerOptions { Iterations = 5, LearningCurvePath = csv });

            await trainer.TrainAsync(model, slot => new ContextualBandit(8, 4, slot), new SynchronousProgress<TrainingProgress>(reports.Add));

            reports.Select(r => r.Iteration).Should().Equal(1, 2, 3, 4, 5);
            string[] lines = File.ReadAllLines(csv);
            lines.Should().HaveCount(6);
            lines[0].Should().Be(LearningCurveCsv.Header);
            lines[1].Split(',').Should().HaveCount(LearningCurveCsv.Header.Split(',').Length);
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
