using TorchSharp;

namespace PromptKit.Training.Tests;

public sealed class TrainerValidationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"promptkit-validation-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TrainAsync_ValidateEvery_ScoresEveryNthAndTheLastIteration()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);
        var validated = new List<int>();
        string csv = Path.Combine(_folder, "curve.csv");
        int iteration = 0;
        var options = Options(iterations: 7, validateEvery: 3, (_, _) => ValueTask.FromResult((double)++iteration));
        options.LearningCurvePath = csv;

        TrainingResult result = await new ActorCriticTrainer(options).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        result.History.Where(h => h.ValidationScore is not null).Select(h => h.Iteration).Should().Equal(3, 6, 7);
        result.History.Select(h => h.ValidationScore).Should().Equal(null, null, 1.0, null, null, 2.0, 3.0);
        result.BestIteration.Should().Be(7);
        result.BestValidationScore.Should().Be(3.0);
        string[] lines = File.ReadAllLines(csv);
        lines[0].Should().EndWith(",validation_score");
        lines[1].Should().EndWith(",");
        lines[3].Should().EndWith(",1");
    }

    [Fact]
    public async Task TrainAsync_KeepBestWeights_EndsWithTheBestIterationsWeights()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);
        double[] scores = [0.2, 0.9, 0.4, 0.9];
        Dictionary<string, torch.Tensor>? atBest = null;
        int call = 0;
        var options = Options(iterations: 8, validateEvery: 2, (m, _) =>
        {
            double score = scores[call++];
            if (call == 2)
            {
                atBest = Snapshot(m);
            }

            return ValueTask.FromResult(score);
        });

        TrainingResult result = await new ActorCriticTrainer(options).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        result.BestIteration.Should().Be(4, "the tie at iteration 8 keeps the earlier iteration");
        result.BestValidationScore.Should().Be(0.9);
        AssertEqual(model, atBest!);
    }

    [Fact]
    public async Task TrainAsync_KeepBestWeightsOff_EndsWithTheLastWeightsAndReportsTheBest()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);
        double[] scores = [0.2, 0.9, 0.4];
        Dictionary<string, torch.Tensor>? last = null;
        int call = 0;
        var options = Options(iterations: 6, validateEvery: 2, (m, _) =>
        {
            last = Snapshot(m);
            return ValueTask.FromResult(scores[call++]);
        });
        options.KeepBestWeights = false;

        TrainingResult result = await new ActorCriticTrainer(options).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        result.BestIteration.Should().Be(4);
        AssertEqual(model, last!);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task TrainAsync_NonFiniteValidationScore_Throws(double score)
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);

        Func<Task> act = () => new ActorCriticTrainer(Options(3, 1, (_, _) => ValueTask.FromResult(score))).TrainAsync(model, slot => new ContextualBandit(8, 4, slot));

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*validation*finite*");
    }

    [Fact]
    public void Constructor_ValidateEveryZero_ThrowsNamingIt()
    {
        Action act = () => _ = new PpoTrainer(new PpoTrainerOptions { ValidateEvery = 0 });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*ValidateEvery*");
    }

    [Fact]
    public async Task TrainAsync_CancelledWhileValidatingThenResumed_MatchesAnUninterruptedRun()
    {
        // The validation scores the greedy action's probability on a probe: a function of the weights alone.
        static ValueTask<double> Probe(ActorCriticModel m)
        {
            Span<float> p = stackalloc float[4];
            m.GetPolicy(0).GetProbabilities([1f, 0, 0, 0, 0, 0, 0, 0], p);
            return ValueTask.FromResult((double)p[1]);
        }

        using var uninterrupted = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);
        var reference = Options(6, 2, (m, _) => Probe(m));
        reference.CheckpointPath = Path.Combine(_folder, "a.ckpt");
        TrainingResult expected = await new ActorCriticTrainer(reference).TrainAsync(uninterrupted, slot => new ContextualBandit(8, 4, slot));

        // First run: Ctrl+C while iteration 4 is validated.
        using var cts = new CancellationTokenSource();
        using var first = ActorCriticModel.CreateMlp(8, [4], [16], seed: 1);
        int calls = 0;
        var stopping = Options(6, 2, (m, ct) =>
        {
            if (++calls == 2)
            {
                cts.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            return Probe(m);
        });
        stopping.CheckpointPath = Path.Combine(_folder, "b.ckpt");
        Func<Task> stop = () => new ActorCriticTrainer(stopping).TrainAsync(first, slot => new ContextualBandit(8, 4, slot), cancellationToken: cts.Token);
        await stop.Should().ThrowAsync<OperationCanceledException>();

        using var resumed = ActorCriticModel.CreateMlp(8, [4], [16], seed: 77);
        var resuming = Options(6, 2, (m, _) => Probe(m));
        resuming.CheckpointPath = stopping.CheckpointPath;
        TrainingResult actual = await new ActorCriticTrainer(resuming).TrainAsync(resumed, slot => new ContextualBandit(8, 4, slot));

        actual.ResumedAfterIteration.Should().Be(4);
        actual.BestIteration.Should().Be(expected.BestIteration);
        actual.BestValidationScore.Should().Be(expected.BestValidationScore);
        AssertEqual(resumed, Snapshot(uninterrupted));
    }

    private static ActorCriticTrainerOptions Options(int iterations, int validateEvery, Func<ActorCriticModel, CancellationToken, ValueTask<double>> validation) => new()
    {
        EnvironmentCount = 4,
        StepsPerEnvironment = 4,
        Iterations = iterations,
        ActorLearningRate = 3e-3,
        CriticLearningRate = 3e-3,
        GaeLambda = 0,
        Seed = 3,
        CheckpointInterval = 1,
        Validation = validation,
        ValidateEvery = validateEvery,
    };

    private static Dictionary<string, torch.Tensor> Snapshot(ActorCriticModel model)
    {
        var copy = new Dictionary<string, torch.Tensor>();
        foreach ((string name, torch.Tensor tensor) in model.state_dict())
        {
            copy[name] = tensor.detach().clone();
        }

        return copy;
    }

    private static void AssertEqual(ActorCriticModel model, Dictionary<string, torch.Tensor> expected)
    {
        foreach ((string name, torch.Tensor tensor) in model.state_dict())
        {
            tensor.allclose(expected[name], rtol: 0, atol: 0).Should().BeTrue($"parameter {name} holds the expected weights");
        }
    }
}
