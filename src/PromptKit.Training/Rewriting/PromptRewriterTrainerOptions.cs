using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Settings of <see cref="PromptRewriterTrainer"/>: the rewriter's geometry, the supervised stage's randomized
/// candidates, and the two trainers.</summary>
public sealed class PromptRewriterTrainerOptions
{
    /// <summary>Gets or sets the rewriter's geometry (elements seen, rewrite length, copies).</summary>
    [Required]
#pragma warning disable SYSLIB1212 // checked by its own validator (with its cross-property rules) in PromptRewriterTrainer
    public PointerRewriterOptions Rewriter { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets the width of the pointer network's attention and stop layers.</summary>
    /// <value>The default is 64.</value>
    [Range(1, 4096)]
    public int HiddenSize { get; set; } = 64;

    /// <summary>Gets or sets how many randomized rewrites are scored per example in the supervised stage, besides the original.</summary>
    /// <value>The default is 24.</value>
    [Range(1, 1024)]
    public int CandidatesPerExample { get; set; } = 24;

    /// <summary>Gets or sets the lowest keep probability a randomized rewrite draws (see <see cref="RewriteVariants.Sample"/>).</summary>
    /// <value>The default is 0.3.</value>
    [Range(0.0, 1.0)]
    public double MinKeepProbability { get; set; } = 0.3;

    /// <summary>Gets or sets the probability that a randomized rewrite shuffles a component's kept elements.</summary>
    /// <value>The default is 0.5.</value>
    [Range(0.0, 1.0)]
    public double ShuffleProbability { get; set; } = 0.5;

    /// <summary>Gets or sets the probability that a randomized rewrite repeats a kept element.</summary>
    /// <value>The default is 0.15.</value>
    [Range(0.0, 1.0)]
    public double RepeatProbability { get; set; } = 0.15;

    /// <summary>Gets or sets the supervised stage's trainer settings.</summary>
    [Required]
#pragma warning disable SYSLIB1212 // checked by its own validator (with its cross-property rules) in PromptRewriterTrainer
    public SupervisedTrainerOptions Supervised { get; set; } = new() { Epochs = 30, MiniBatchSize = 64, LearningRate = 1e-3 };
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets the reinforcement stage's PPO settings. Its KL penalty applies only when a reference policy
    /// (the supervised one) is given to <see cref="PromptRewriterTrainer.TrainReinforcedAsync"/>.</summary>
    [Required]
#pragma warning disable SYSLIB1212 // checked by its own validator (with its cross-property rules) in PromptRewriterTrainer
    public PpoTrainerOptions Reinforcement { get; set; } = CreateReinforcementDefaults();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets a value indicating whether the reinforcement stage rewards a rewrite by how much it beats the
    /// original prompt of the same example (see <see cref="PromptRewritingEnvironment"/>) rather than by its raw reward.</summary>
    /// <value>The default is <see langword="true"/>: one extra frozen-model call per training example, much less variance.</value>
    public bool RewardRelativeToOriginal { get; set; } = true;

    /// <summary>Gets or sets the seed of the candidate draws and of new models' weights.</summary>
    public long Seed { get; set; }

    /// <summary>Gets the PPO settings used by default: episodic (γ = 1), 120 iterations of 8 environments × 64 steps,
    /// 4 epochs of minibatches of 128, actor learning rate 10⁻³ (critic 10⁻³), entropy 0.01, a fixed KL penalty of 0.05
    /// toward the reference, validation every 5 iterations.</summary>
    /// <returns>New settings.</returns>
    public static PpoTrainerOptions CreateReinforcementDefaults() => new()
    {
        EnvironmentCount = 8,
        StepsPerEnvironment = 64,
        Iterations = 120,
        Epochs = 4,
        MiniBatchSize = 128,
        Gamma = 1.0,
        GaeLambda = 0.95,
        ActorLearningRate = 1e-3,
        CriticLearningRate = 1e-3,
        EntropyCoefficient = 0.01,
        KlPenalty = KlPenaltyMode.Fixed,
        KlCoefficient = 0.05,
        ValidateEvery = 5,
        CheckpointInterval = 5,
    };
}
