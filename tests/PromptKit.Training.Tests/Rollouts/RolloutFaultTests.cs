namespace PromptKit.Training.Tests;

public sealed class RolloutFaultTests
{
    [Theory]
    [InlineData(RolloutFaultPolicy.Retry)]
    [InlineData(RolloutFaultPolicy.Skip)]
    [InlineData(RolloutFaultPolicy.ZeroReward)]
    public async Task TrainAsync_FaultedSteps_AreCountedAndNeverScoredAsOutcomes(RolloutFaultPolicy policy)
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        var options = new ActorCriticTrainerOptions { EnvironmentCount = 2, StepsPerEnvironment = 10, Iterations = 3, FaultPolicy = policy, MaxFaultRetries = 1, Seed = 1 };
        var environments = new List<FaultingEnvironment>();
        IEnvironment Factory(int slot)
        {
            var environment = new FaultingEnvironment(new ContextualBandit(8, 4, slot), call => call % 3 == 1);
            environments.Add(environment);
            return environment;
        }

        TrainingResult result = await new ActorCriticTrainer(options).TrainAsync(model, Factory);

        long faults = result.Last!.TotalFaultedSteps;
        faults.Should().BeGreaterThan(0);
        result.History.Sum(h => h.FaultedSteps).Should().Be((int)faults);
        result.Last.TotalSteps.Should().Be(60);
        switch (policy)
        {
            case RolloutFaultPolicy.Retry:
                // Every third call faults and is retried once with success, so no step is dropped and every episode finishes.
                result.History.Sum(h => h.DroppedSteps).Should().Be(0);
                result.Last.TotalEpisodes.Should().Be(60);
                break;
            case RolloutFaultPolicy.Skip:
                result.History.Sum(h => h.DroppedSteps).Should().Be((int)faults);
                result.Last.TotalEpisodes.Should().Be(60 - faults);
                break;
            default:
                result.History.Sum(h => h.DroppedSteps).Should().Be(0);
                break;
        }
    }

    [Fact]
    public async Task TrainAsync_EveryStepFaults_RunsToTheEndWithoutLearningFromFaults()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        float[] before = CheckpointResumeTests.Weights(model);
        var options = new PpoTrainerOptions { EnvironmentCount = 2, StepsPerEnvironment = 8, Iterations = 2, MiniBatchSize = 8, FaultPolicy = RolloutFaultPolicy.Skip };

        TrainingResult result = await new PpoTrainer(options).TrainAsync(model, slot => new FaultingEnvironment(new ContextualBandit(8, 4, slot), _ => true));

        result.Last!.DroppedSteps.Should().Be(16);
        result.Last.TotalEpisodes.Should().Be(0);
        CheckpointResumeTests.Weights(model).Should().Equal(before, "a rollout of dropped steps carries no weight");
    }
}
