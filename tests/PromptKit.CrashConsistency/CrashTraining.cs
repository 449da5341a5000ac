using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
using PromptKit.Training;

namespace PromptKit.CrashConsistency;

/// <summary>The training run the harness kills: RPP with PPO on 24 MovieLens users against the simulated recommender
/// (deterministic for a prompt), a checkpoint after every iteration, the final weights saved at the end.</summary>
public static class CrashTraining
{
    /// <summary>The checkpoint's file name in the run folder.</summary>
    public const string CheckpointName = "rpp.ckpt";

    /// <summary>The final weights' file name in the run folder.</summary>
    public const string WeightsName = "final.weights";

    /// <summary>Trains (resuming from the folder's checkpoint when there is one) and saves the final weights.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="iterations">The training iterations.</param>
    /// <param name="seed">The seed of the split and of the trainer.</param>
    /// <returns>The iteration the run resumed after, or 0.</returns>
    public static async Task<int> RunAsync(string folder, int iterations, int seed)
    {
        Directory.CreateDirectory(folder);
        RecommendationSplit split = RecommendationSplit.Create(MovieLensData.Dataset, new RecommendationSplitOptions { TrainUsers = 24, TestUsers = 8, Seed = seed });
        RppActionSpaces spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(split.TrainingInteractions), spaces, iterations: 3);
        using var client = new SimulatedRecommenderChatClient(split.TrainingInteractions, seed: 7);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 4 });
        var trainer = new RppTrainer(new RppTrainerOptions
        {
            Trainer = new PpoTrainerOptions
            {
                Iterations = iterations,
                Seed = seed,
                EnvironmentCount = 8,
                Gamma = 0,
                GaeLambda = 0,
                Epochs = 2,
                MiniBatchSize = 24,
                CheckpointPath = Path.Combine(folder, CheckpointName),
                CheckpointInterval = 1,
            },

            // Wide layers make each checkpoint a few MB, so that a kill often lands inside a checkpoint write.
            HiddenSizes = [192, 192],
        });
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);
        TrainingResult result = await trainer.TrainAsync(model, split.Train, encoder, composer, evaluator, negatives: new CandidateResampler(split.TrainingInteractions)).ConfigureAwait(false);
        model.SaveWeights(Path.Combine(folder, WeightsName));
        return result.ResumedAfterIteration;
    }
}
