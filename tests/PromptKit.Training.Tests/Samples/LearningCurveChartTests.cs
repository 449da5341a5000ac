using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class LearningCurveChartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("promptkit-chart-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MovingAverage_IsTrailingAndShortAtTheStart()
    {
        LearningCurveChart.MovingAverage([1, 2, 3, 4, 5], 2).Should().Equal(1, 1.5, 2.5, 3.5, 4.5);
        LearningCurveChart.MovingAverage([4, 0, 8], 5).Should().Equal(4, 2, 4);
        FluentActions.Invoking(() => LearningCurveChart.MovingAverage([1], 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Read_TrainerCsv_GivesIterationsAndMeanStepRewards()
    {
        string csv = Path.Combine(_folder, "curve.csv");
        var trainer = new ActorCriticTrainer(new ActorCriticTrainerOptions { EnvironmentCount = 2, StepsPerEnvironment = 4, Iterations = 3, Seed = 1, LearningCurvePath = csv });
        using ActorCriticModel model = ActorCriticModel.CreateMlp(2, [2], [8], MlpActivation.Tanh, seed: 1);
        TrainingResult result = await trainer.TrainAsync(model, _ => new ConstantRewardEnvironment(0.25));

        (double[] iterations, double[] rewards) = LearningCurveChart.Read(csv);

        iterations.Should().Equal(1, 2, 3);
        rewards.Should().Equal(result.History.Select(h => h.MeanStepReward));
        rewards.Should().OnlyContain(r => Math.Abs(r - 0.25) < 1e-12);
    }

    [Fact]
    public void Read_MissingColumnOrBadNumber_NamesTheFile()
    {
        string noColumn = Path.Combine(_folder, "a.csv");
        File.WriteAllLines(noColumn, ["iteration,loss", "1,0.5"]);
        string badNumber = Path.Combine(_folder, "b.csv");
        File.WriteAllLines(badNumber, ["iteration,mean_step_reward", "1,abc"]);

        FluentActions.Invoking(() => LearningCurveChart.Read(noColumn)).Should().Throw<InvalidDataException>().WithMessage("*a.csv*mean_step_reward*");
        FluentActions.Invoking(() => LearningCurveChart.Read(badNumber)).Should().Throw<InvalidDataException>().WithMessage("*Line 2*b.csv*abc*");
    }

    [Fact]
    public void Write_RendersAPng()
    {
        string csv = Path.Combine(_folder, "curve.csv");
        File.WriteAllLines(csv, ["iteration,mean_step_reward", "1,0.5", "2,0.6", "3,0.55"]);
        string png = Path.Combine(_folder, "curve.png");

        LearningCurveChart.Write(png, [("RPP", csv)], [("best fixed", 0.58)], "test");

        byte[] bytes = File.ReadAllBytes(png);
        bytes.Length.Should().BeGreaterThan(1000);
        bytes.Take(8).Should().Equal(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A); // the PNG signature
    }

    private sealed class ConstantRewardEnvironment(double reward) : IEnvironment
    {
        public int ObservationSize => 2;

        public IReadOnlyList<int> ActionCounts { get; } = [2];

        public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new EnvironmentStep([0.1f, -0.1f]));

        public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new EnvironmentStep([0.1f, -0.1f], reward));
    }
}
