using PromptKit.Training;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>The trainer settings the sample uses, from its flags.</summary>
internal static class RewritingSettings
{
    public static PromptRewriterTrainerOptions Create(PromptRewritingOptions options, long seed = 0, string? folder = null)
    {
        PpoTrainerOptions reinforcement = PromptRewriterTrainerOptions.CreateReinforcementDefaults();
        reinforcement.Iterations = options.RlIterations;
        reinforcement.Seed = seed;
        reinforcement.ActorLearningRate = options.RlLearningRate;
        if (folder is not null)
        {
            reinforcement.CheckpointPath = Path.Combine(folder, "checkpoint.bin");
            reinforcement.LearningCurvePath = Path.Combine(folder, "learning-curve.csv");
        }

        return new PromptRewriterTrainerOptions
        {
            Rewriter = new PointerRewriterOptions { IncludeElementText = options.ElementText },
            CandidatesPerExample = options.Candidates,
            Supervised = new SupervisedTrainerOptions { Epochs = options.SupervisedEpochs, MiniBatchSize = 64, LearningRate = 1e-3, Seed = seed },
            Reinforcement = reinforcement,
            Seed = seed,
        };
    }
}
