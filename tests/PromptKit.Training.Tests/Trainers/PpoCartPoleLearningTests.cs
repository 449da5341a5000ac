using PromptKit.Samples;
using Xunit.Abstractions;

namespace PromptKit.Training.Tests;

/// <summary>
/// Learning is shown, not assumed: PPO on CartPole (the samples' Gymnasium-exact environment) for a CI-sized budget,
/// over several seeds, against a uniformly random policy and the same network untrained, on fresh evaluation episodes.
/// </summary>
public sealed class PpoCartPoleLearningTests(ITestOutputHelper output)
{
    private const int Iterations = 20;
    private const int EvaluationEpisodes = 10;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TrainAsync_CiSizedBudget_GreedyReturnWellAboveRandomAndUntrained(long seed)
    {
        // The sample's settings (samples/PpoCartPole: rl-baselines3-zoo's CartPole-v1 entry) cut to a CI budget:
        // 20 iterations of 8 x 32 steps (5,120 steps), 10 epochs of two minibatches, a constant learning rate of 3e-3
        // (with the sample's 1e-3, annealed, 25 iterations were not enough to leave random play).
        var options = new PpoTrainerOptions
        {
            EnvironmentCount = 8, StepsPerEnvironment = 32, Iterations = Iterations, Gamma = 0.98, GaeLambda = 0.8,
            ActorLearningRate = 3e-3, CriticLearningRate = 3e-3, AnnealLearningRate = false, Epochs = 10, MiniBatchSize = 128,
            NormalizeAdvantages = true, EntropyCoefficient = 0.0, ValueCoefficient = 0.5, MaxGradientNorm = 0.5, Seed = seed,
        };
        using var model = ActorCriticModel.CreateMlp(4, [2], [64, 64], activation: MlpActivation.Tanh, seed: seed);
        double untrained = await GreedyReturnAsync(model.GetPolicy(0), seed);
        double random = await RandomReturnAsync(seed);

        await new PpoTrainer(options).TrainAsync(model, slot => new CartPoleEnvironment(TrainingRandom.DeriveSeed(seed, slot)));
        double trained = await GreedyReturnAsync(model.GetPolicy(0), seed);
        output.WriteLine($"seed {seed}: random {random:F1}, untrained {untrained:F1}, trained {trained:F1} (mean return, {EvaluationEpisodes} greedy episodes)");

        // A random policy balances about 22 steps; "well above" is at least 4 times that, and above the untrained network.
        trained.Should().BeGreaterThan(Math.Max(4 * random, untrained), $"seed {seed}: random {random:F1}, untrained {untrained:F1}, trained {trained:F1}");
    }

    private static long EvaluationSeed(long seed, int episode) => TrainingRandom.DeriveSeed(seed, 1_000_000 + episode);

    private static async Task<double> GreedyReturnAsync(IDiscretePolicy policy, long seed)
    {
        float[] logits = new float[2];
        return await MeanReturnAsync(seed, observation =>
        {
            policy.ComputeLogits(observation, logits);
            return PolicyMath.ArgMax(logits);
        });
    }

    private static Task<double> RandomReturnAsync(long seed)
    {
        var draw = new Random((int)seed);
        return MeanReturnAsync(seed, _ => draw.Next(2));
    }

    private static async Task<double> MeanReturnAsync(long seed, Func<float[], int> act)
    {
        double sum = 0;
        int[] action = new int[1];
        for (int episode = 0; episode < EvaluationEpisodes; episode++)
        {
            var environment = new CartPoleEnvironment(EvaluationSeed(seed, episode));
            EnvironmentStep step = await environment.ResetAsync();
            while (!step.IsDone)
            {
                action[0] = act([.. step.Observation]);
                step = await environment.StepAsync(action);
                sum += step.Reward;
            }
        }

        return sum / EvaluationEpisodes;
    }
}
