using PromptKit.Training;

namespace PromptKit.Samples;

/// <summary>The quick start's RPP training settings (measured in docs/rpp.md); the tests train with the same ones.</summary>
public static class QuickStartTraining
{
    /// <summary>Creates the settings for a run.</summary>
    /// <param name="iterations">The training iterations.</param>
    /// <param name="seed">The training seed.</param>
    /// <returns>New options; the caller may change them (checkpoint, learning curve, sizes).</returns>
    public static RppTrainerOptions Options(int iterations, long seed) => new()
    {
        Trainer = new PpoTrainerOptions
        {
            Iterations = iterations,
            Seed = seed,
            EnvironmentCount = 32,
            // Each iteration's reward is that iteration's prompt's NDCG, so each step is credited for its own reward
            // (γ = 0, the TD error as advantage with λ = 0): with the paper's γ = 0.95 the history agent collapsed to
            // showing 3 items (docs/rpp.md).
            Gamma = 0,
            GaeLambda = 0,
            // Each rollout costs 480 model calls; PPO's clipped epochs over it learned more per call than the paper's
            // single actor-critic step (docs/rpp.md, "What it took").
            Epochs = 4,
            MiniBatchSize = 240,
            ActorLearningRate = 1e-3,
            CriticLearningRate = 1e-3,
            EntropyCoefficient = 0.03,
            NormalizeAdvantages = true,
            CenterAdvantagesPerEpisode = true,
            CheckpointInterval = 1,
        },
    };
}
