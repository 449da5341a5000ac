using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Settings of <see cref="SupervisedTrainer"/>.</summary>
public sealed class SupervisedTrainerOptions
{
    /// <summary>Gets or sets the number of passes over the training examples.</summary>
    /// <value>The default value is 20.</value>
    [Range(1, 100_000)]
    public int Epochs { get; set; } = 20;

    /// <summary>Gets or sets the minibatch size.</summary>
    /// <value>The default value is 64.</value>
    [Range(1, 1_048_576)]
    public int MiniBatchSize { get; set; } = 64;

    /// <summary>Gets or sets the Adam learning rate.</summary>
    /// <value>The default value is 1e-3.</value>
    [Range(1e-8, 1.0)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Gets or sets the L2 weight decay.</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; set; }

    /// <summary>Gets or sets the label smoothing ε of the cross-entropy (0 for none).</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 0.999)]
    public double LabelSmoothing { get; set; }

    /// <summary>Gets or sets the global gradient-norm limit, or 0 for none.</summary>
    /// <value>The default value is 1.</value>
    [Range(0.0, 1e6)]
    public double MaxGradientNorm { get; set; } = 1.0;

    /// <summary>Gets or sets how many epochs without a better validation loss stop training early (the best epoch's
    /// weights are restored), or <see langword="null"/> to run every epoch. Needs validation examples.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(1, 100_000)]
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>Gets or sets the seed of the minibatch shuffles.</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; set; }
}
