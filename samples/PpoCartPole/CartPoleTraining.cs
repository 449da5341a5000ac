namespace PromptKit.Samples.PpoCartPole;

/// <summary>The sample's PPO settings and seeds.</summary>
internal static class CartPoleTraining
{
    /// <summary>The mean evaluation return at which CartPole-v1 counts as solved here.</summary>
    public const double SolvedMeanReturn = 475;

    /// <summary>The number of greedy evaluation episodes.</summary>
    public const int EvaluationEpisodes = 100;

    /// <summary>The default number of iterations.</summary>
    public const int DefaultIterations = 120;

    /// <summary>Environment seeds of the evaluation start here, past every training slot.</summary>
    private const long EvaluationSeedOffset = 1_000_000;

    /// <summary>CleanRL-style PPO settings for CartPole (ppo.py), with the rollout and minibatch sizes tuned for wall time.</summary>
    public static PpoTrainerOptions CreateOptions(int iterations, long seed, string checkpointPath, string learningCurvePath) => new()
    {
        EnvironmentCount = 8,
        StepsPerEnvironment = 128,
        Iterations = iterations,
        Gamma = 0.99,
        GaeLambda = 0.95,
        ActorLearningRate = 2.5e-4,
        CriticLearningRate = 2.5e-4,
        AnnealLearningRate = true,
        Epochs = 4,
        MiniBatchSize = 256,
        ClipRange = 0.2,
        NormalizeAdvantages = true,
        EntropyCoefficient = 0.01,
        ValueCoefficient = 0.5,
        MaxGradientNorm = 0.5,
        Seed = seed,
        CheckpointPath = checkpointPath,
        CheckpointInterval = 10,
        LearningCurvePath = learningCurvePath,
    };

    /// <summary>The environment of training slot <c>i</c>, seeded from the run's seed and the slot.</summary>
    public static Func<int, IEnvironment> CreateEnvironmentFactory(long seed) =>
        slot => new CartPoleEnvironment(TrainingRandom.DeriveSeed(seed, slot));

    /// <summary>The seed of evaluation episode <c>episode</c>: never one a training slot used.</summary>
    public static long EvaluationSeed(long seed, int episode) => TrainingRandom.DeriveSeed(seed, EvaluationSeedOffset + episode);
}
