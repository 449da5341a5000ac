using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Settings of <see cref="PpoTrainer"/>. The defaults follow Stable-Baselines3 and CleanRL.</summary>
public sealed class PpoTrainerOptions : OnPolicyTrainerOptions
{
    /// <summary>Gets or sets the number of passes over each rollout.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 1000)]
    public int Epochs { get; set; } = 10;

    /// <summary>Gets or sets the minibatch size; must not exceed the rollout size.</summary>
    /// <value>The default value is 64.</value>
    [Range(1, 1_048_576)]
    public int MiniBatchSize { get; set; } = 64;

    /// <summary>Gets or sets the clip range ε of the surrogate objective (the ratio is clipped to [1 − ε, 1 + ε]).</summary>
    /// <value>The default value is 0.2.</value>
    [Range(1e-6, 10.0)]
    public double ClipRange { get; set; } = 0.2;

    /// <summary>Gets or sets the value-clipping range, or <see langword="null"/> for no value clipping.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(1e-6, 1e6)]
    public double? ValueClipRange { get; set; }

    /// <summary>Gets or sets a value indicating whether advantages are normalized to zero mean and unit variance in
    /// each minibatch.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NormalizeAdvantages { get; set; } = true;

    /// <summary>Gets or sets the approximate KL (old → new policy) above which an update stops early (at 1.5 × this
    /// value, checked per minibatch), or <see langword="null"/> for no early stop.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(1e-8, 100.0)]
    public double? TargetKl { get; set; }

    /// <summary>Gets or sets the KL penalty to the reference policy passed to <see cref="PpoTrainer.TrainAsync"/>.</summary>
    /// <value>The default value is <see cref="KlPenaltyMode.None"/>.</value>
    [EnumDataType(typeof(KlPenaltyMode))]
    public KlPenaltyMode KlPenalty { get; set; } = KlPenaltyMode.None;

    /// <summary>Gets or sets the (initial) KL-penalty coefficient β.</summary>
    /// <value>The default value is 0.1.</value>
    [Range(0.0, 1e6)]
    public double KlCoefficient { get; set; } = 0.1;

    /// <summary>Gets or sets the KL to the reference that <see cref="KlPenaltyMode.Adaptive"/> steers toward.</summary>
    /// <value>The default value is 0.02.</value>
    [Range(1e-8, 100.0)]
    public double KlTarget { get; set; } = 0.02;
}
