using PromptKit.Samples;
namespace PromptKit.Training.Tests;

public sealed class CheckpointResumeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pk-ckpt-{Guid.NewGuid():N}");

    public CheckpointResumeTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TrainAsync_ResumedFromCheckpoint_EqualsUninterruptedRun()
    {
        PpoTrainerOptions Options(int iterations, string? path) => new()
        {
            EnvironmentCount = 2, StepsPerEnvironment = 20, Iterations = iterations, Epochs = 3, MiniBatchSize = 16,
            ActorLearningRate = 1e-2, CriticLearningRate = 1e-2, AnnealLearningRate = true, Seed = 17, CheckpointPath = path, CheckpointInterval = 2,
        };
        Func<int, IEnvironment> factory = _ => new Corridor(5, 12);

        using var uninterrupted = ActorCriticModel.CreateMlp(5, [2], [16], seed: 3);
        TrainingResult full = await new PpoTrainer(Options(6, null)).TrainAsync(uninterrupted, factory);

        string path = Path.Combine(_folder, "run.ckpt");
        using var first = ActorCriticModel.CreateMlp(5, [2], [16], seed: 3);
        using var cts = new CancellationTokenSource();
        var stopAfterFour = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Iteration == 4)
            {
                cts.Cancel();
            }
        });
        Func<Task> interrupted = () => new PpoTrainer(Options(6, path)).TrainAsync(first, factory, progress: stopAfterFour, cancellationToken: cts.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        using var resumed = ActorCriticModel.CreateMlp(5, [2], [16], seed: 99);  // different initial weights: all must come from the checkpoint
        TrainingResult second = await new PpoTrainer(Options(6, path)).TrainAsync(resumed, factory);

        second.ResumedAfterIteration.Should().Be(4);
        second.History.Select(h => h.Iteration).Should().Equal(5, 6);
        second.History[^1].TotalSteps.Should().Be(full.History[^1].TotalSteps);
        second.History[^1].MeanStepReward.Should().Be(full.History[^1].MeanStepReward);
        second.History[^1].PolicyLoss.Should().Be(full.History[^1].PolicyLoss);
        Weights(resumed).Should().Equal(Weights(uninterrupted));
    }

    [Fact]
    public async Task TrainAsync_CancelledMidRollout_CheckpointHoldsLastFinishedIteration()
    {
        string path = Path.Combine(_folder, "cancel.ckpt");
        var options = new ActorCriticTrainerOptions { EnvironmentCount = 1, StepsPerEnvironment = 10, Iterations = 50, CheckpointPath = path, CheckpointInterval = 1000, Seed = 1 };
        using var cts = new CancellationTokenSource();
        int steps = 0;
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        Func<int, IEnvironment> factory = slot => new CallbackEnvironment(new ContextualBandit(8, 4, slot), () =>
        {
            if (++steps == 35)
            {
                cts.Cancel();
            }
        });

        Func<Task> act = () => new ActorCriticTrainer(options).TrainAsync(model, factory, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        File.Exists(path).Should().BeTrue("the three finished iterations are kept");
        using var resumed = ActorCriticModel.CreateMlp(8, [4], seed: 5);
        var reports = new List<TrainingProgress>();
        await new ActorCriticTrainer(new ActorCriticTrainerOptions { EnvironmentCount = 1, StepsPerEnvironment = 10, Iterations = 4, CheckpointPath = path, Seed = 1 })
            .TrainAsync(resumed, slot => new ContextualBandit(8, 4, slot), new SynchronousProgress<TrainingProgress>(reports.Add));
        reports.Select(r => r.Iteration).Should().Equal(4);
        reports[0].TotalSteps.Should().Be(40);
        Directory.GetFiles(_folder, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task TrainAsync_CorruptCheckpoint_ThrowsCheckpointExceptionNamingTheFile()
    {
        string path = Path.Combine(_folder, "corrupt.ckpt");
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        var options = new ActorCriticTrainerOptions { Iterations = 2, CheckpointPath = path };
        await new ActorCriticTrainer(options).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var longer = new ActorCriticTrainerOptions { Iterations = 3, CheckpointPath = path };

        Func<Task> act = () => new ActorCriticTrainer(longer).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        (await act.Should().ThrowAsync<CheckpointException>().WithMessage("*corrupt*SHA-256*")).Which.Path.Should().Be(Path.GetFullPath(path));
    }

    [Fact]
    public async Task TrainAsync_TruncatedCheckpoint_ThrowsCheckpointException()
    {
        string path = Path.Combine(_folder, "short.ckpt");
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        await new ActorCriticTrainer(new ActorCriticTrainerOptions { Iterations = 1, CheckpointPath = path }).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        Func<Task> act = () => new ActorCriticTrainer(new ActorCriticTrainerOptions { Iterations = 2, CheckpointPath = path }).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        await act.Should().ThrowAsync<CheckpointException>().WithMessage("*truncated*");
    }

    [Fact]
    public async Task TrainAsync_CheckpointOfAnotherConfiguration_ThrowsCheckpointException()
    {
        string path = Path.Combine(_folder, "other.ckpt");
        using var model = ActorCriticModel.CreateMlp(8, [4], seed: 1);
        await new ActorCriticTrainer(new ActorCriticTrainerOptions { Iterations = 1, CheckpointPath = path }).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        Func<Task> act = () => new PpoTrainer(new PpoTrainerOptions { Iterations = 2, CheckpointPath = path, StepsPerEnvironment = 16 }).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        await act.Should().ThrowAsync<CheckpointException>().WithMessage("*another trainer configuration*");
    }

    [Fact]
    public void SaveWeights_LoadWeights_RoundTripsAndRejectsOtherArchitectures()
    {
        string path = Path.Combine(_folder, "weights.bin");
        using var source = ActorCriticModel.CreateMlp(4, [3, 2], [8], seed: 1);
        using var target = ActorCriticModel.CreateMlp(4, [3, 2], [8], seed: 2);
        using var other = ActorCriticModel.CreateMlp(4, [3], [8], seed: 2);

        source.SaveWeights(path);
        target.LoadWeights(path);
        Action act = () => other.LoadWeights(path);

        Weights(target).Should().Equal(Weights(source));
        act.Should().Throw<CheckpointException>().WithMessage("*another architecture*");
        Directory.GetFiles(_folder).Should().Equal(path);
    }

    [Fact]
    public void LoadWeights_MissingFile_ThrowsFileNotFound()
    {
        using var model = ActorCriticModel.CreateMlp(4, [3], seed: 1);

        Action act = () => model.LoadWeights(Path.Combine(_folder, "missing.bin"));

        act.Should().Throw<FileNotFoundException>();
    }

    internal static float[] Weights(ActorCriticModel model)
    {
        var all = new List<float>();
        foreach (var (_, parameter) in model.named_parameters())
        {
            all.AddRange(parameter.data<float>().ToArray());
        }

        return [.. all];
    }
}

internal sealed class CallbackEnvironment(IEnvironment inner, Action onStep) : IEnvironment
{
    public int ObservationSize => inner.ObservationSize;

    public IReadOnlyList<int> ActionCounts => inner.ActionCounts;

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default) => inner.ResetAsync(cancellationToken);

    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        onStep();
        return inner.StepAsync(actions, cancellationToken);
    }
}
