using PromptKit.Samples;

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
        var recorders = new List<RewardRecorder>();
        var reports = new List<TrainingProgress>();
        IEnvironment Factory(int slot)
        {
            var recorder = new RewardRecorder(new ContextualBandit(8, 4, slot));
            var environment = new FaultingEnvironment(recorder, call => call % 3 == 1);
            recorders.Add(recorder);
            environments.Add(environment);
            return environment;
        }

        TrainingResult result = await new ActorCriticTrainer(options).TrainAsync(model, Factory, new SynchronousProgress<TrainingProgress>(reports.Add));

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
                // A faulted step stays in the rollout with reward exactly 0: the reward summed over all 60 steps is the
                // sum of the rewards the environment really returned, and the mean per step is lower than the mean of
                // the successful steps alone by the share of faults.
                result.History.Sum(h => h.DroppedSteps).Should().Be(0);
                double rolloutRewardSum = reports.Sum(r => r.MeanStepReward * (options.EnvironmentCount * options.StepsPerEnvironment));
                double returnedRewardSum = recorders.Sum(r => r.RewardSum);
                rolloutRewardSum.Should().BeApproximately(returnedRewardSum, 1e-9);
                recorders.Sum(r => r.Steps).Should().Be(60 - (int)faults);
                (rolloutRewardSum / 60).Should().BeLessThan(returnedRewardSum / (60 - faults));
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

/// <summary>Sums the rewards of the steps that reached the wrapped environment (a faulted step never does).</summary>
internal sealed class RewardRecorder(IEnvironment inner) : IEnvironment
{
    public int ObservationSize => inner.ObservationSize;

    public IReadOnlyList<int> ActionCounts => inner.ActionCounts;

    public double RewardSum { get; private set; }

    public int Steps { get; private set; }

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default) => inner.ResetAsync(cancellationToken);

    public async ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        EnvironmentStep step = await inner.StepAsync(actions, cancellationToken);
        RewardSum += step.Reward;
        Steps++;
        return step;
    }
}
