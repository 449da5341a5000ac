using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Settings of <see cref="RppTrainer"/>. The defaults follow the RPP paper where it gives them
/// (γ = 0.95, actor learning rate 3e-4, critic 5e-4, the TD error as the advantage).</summary>
public sealed class RppTrainerOptions
{
    /// <summary>Gets or sets the number of training iterations; each runs <see cref="EnvironmentCount"/> episodes.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000_000)]
    public int TrainingIterations { get; set; } = 100;

    /// <summary>Gets or sets the number of users' episodes run side by side per iteration.</summary>
    /// <value>The default value is 8.</value>
    [Range(1, 4096)]
    public int EnvironmentCount { get; set; } = 8;

    /// <summary>Gets or sets the discount γ.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.0, 1.0)]
    public double Gamma { get; set; } = 0.95;

    /// <summary>Gets or sets the actors' learning rate.</summary>
    /// <value>The default value is 3e-4.</value>
    [Range(1e-8, 1.0)]
    public double ActorLearningRate { get; set; } = 3e-4;

    /// <summary>Gets or sets the critic's learning rate.</summary>
    /// <value>The default value is 5e-4.</value>
    [Range(1e-8, 1.0)]
    public double CriticLearningRate { get; set; } = 5e-4;

    /// <summary>Gets or sets the entropy bonus weight.</summary>
    /// <value>The default value is 0.01.</value>
    [Range(0.0, 100.0)]
    public double EntropyCoefficient { get; set; } = 0.01;

    /// <summary>Gets or sets a value indicating whether each update standardizes the TD errors it uses as advantages
    /// (zero mean, unit variance over the batch), which keeps the actors' step size independent of the reward scale.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool NormalizeAdvantages { get; set; }

    /// <summary>Gets or sets a value indicating whether each user's TD errors are centred on their mean over that user's
    /// episode before the actors' update (a per-user baseline: a step is credited for how it did against the user's other
    /// prompts, not for how easy the user is). The critic still learns the plain TD targets.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CenterAdvantagesPerUser { get; set; }

    /// <summary>Gets or sets the global gradient-norm clip of each update.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(1e-6, 1e6)]
    public double MaxGradientNorm { get; set; } = 0.5;

    /// <summary>Gets or sets how each rollout updates the networks.</summary>
    /// <value>The default value is <see cref="RppUpdateRule.ActorCritic"/> (the paper's).</value>
    [EnumDataType(typeof(RppUpdateRule))]
    public RppUpdateRule UpdateRule { get; set; } = RppUpdateRule.ActorCritic;

    /// <summary>Gets or sets the passes over each rollout with <see cref="RppUpdateRule.Ppo"/>.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 1000)]
    public int PpoEpochs { get; set; } = 4;

    /// <summary>Gets or sets the minibatch size (steps) with <see cref="RppUpdateRule.Ppo"/>; a size above the rollout
    /// (<see cref="EnvironmentCount"/> × the episode length) means one minibatch of the whole rollout.</summary>
    /// <value>The default value is 240.</value>
    [Range(1, 1_000_000)]
    public int PpoMiniBatchSize { get; set; } = 240;

    /// <summary>Gets or sets the probability-ratio clip ε with <see cref="RppUpdateRule.Ppo"/>.</summary>
    /// <value>The default value is 0.2.</value>
    [Range(1e-6, 10.0)]
    public double PpoClipRange { get; set; } = 0.2;

    /// <summary>Gets or sets the length of each network's GRU encoding of the ranked items.</summary>
    /// <value>The default value is 32.</value>
    [Range(1, 4096)]
    public int GruHiddenSize { get; set; } = 32;

    /// <summary>Gets or sets the hidden widths of the heads of the actors and the critic.</summary>
    /// <value>The default value is [128, 64].</value>
    public ImmutableArray<int> HiddenSizes { get; set; } = [128, 64];

    /// <summary>Gets or sets the seed of the networks, the action draws and the user draws.</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; set; }

    /// <summary>Gets or sets the checkpoint file, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CheckpointPath { get; set; }

    /// <summary>Gets or sets the learning-curve CSV file, or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? LearningCurvePath { get; set; }

    /// <summary>Gets or sets what to do with a step whose model call failed or whose answer could not be parsed.</summary>
    /// <value>The default value is <see cref="RolloutFaultPolicy.Retry"/>.</value>
    [EnumDataType(typeof(RolloutFaultPolicy))]
    public RolloutFaultPolicy FaultPolicy { get; set; } = RolloutFaultPolicy.Retry;
}
