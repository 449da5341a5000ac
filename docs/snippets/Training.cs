using System.Collections.Immutable;
using PromptKit;
using PromptKit.Training;

namespace PromptKit.Snippets;

#region environment
/// <summary>A minimal environment: say whether the observed number is positive (action 1) or not (action 0);
/// reward 1 for a right answer, 16 steps per episode.</summary>
internal sealed class SignEnvironment(int seed) : IEnvironment
{
    private readonly Random _random = new(seed);
    private float _x;
    private int _steps;

    public int ObservationSize => 1;

    public IReadOnlyList<int> ActionCounts { get; } = [2];   // one agent with two actions

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        _steps = 0;
        return ValueTask.FromResult(new EnvironmentStep(Observe()));
    }

    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        double reward = (actions.Span[0] == 1) == (_x > 0) ? 1 : 0;
        _steps++;
        return ValueTask.FromResult(new EnvironmentStep(Observe(), reward, isTruncated: _steps == 16));
    }

    private ImmutableArray<float> Observe()
    {
        _x = (float)(_random.NextDouble() * 2 - 1);
        return [_x];
    }
}
#endregion

internal static class TrainingSnippets
{
    public static async Task PpoAsync()
    {
        #region ppo
        using var model = ActorCriticModel.CreateMlp(observationSize: 1, actionCounts: [2], hiddenSizes: [16], MlpActivation.Tanh, seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 32, Iterations = 30,
            Epochs = 4, MiniBatchSize = 64, ActorLearningRate = 3e-3, CriticLearningRate = 3e-3,
            CheckpointPath = "out/checkpoint.bin", LearningCurvePath = "out/learning-curve.csv", Seed = 1 });
        TrainingResult result = await trainer.TrainAsync(model, slot => new SignEnvironment(seed: slot));
        Console.WriteLine($"mean episode return {result.History[^1].MeanEpisodeReturn:F1} of 16");
        #endregion
    }

    public static async Task ValidationAsync(ActorCriticModel model, Func<int, IEnvironment> environments,
        Func<ActorCriticModel, CancellationToken, Task<double>> ScoreOnValidationSetAsync)
    {
        #region validation
        var options = new PpoTrainerOptions { Iterations = 200, ValidateEvery = 10, CheckpointPath = "out/run.ckpt" };
        options.Validation = async (model, ct) => await ScoreOnValidationSetAsync(model, ct);   // your held-out score
        TrainingResult result = await new PpoTrainer(options).TrainAsync(model, environments);
        Console.WriteLine($"kept iteration {result.BestIteration} ({result.BestValidationScore:F3})");
        #endregion
    }
}
