using System.ComponentModel.DataAnnotations;

namespace PromptKit.Internalization;

/// <summary>Options of <see cref="LanguageModelTrainer"/>. Defaults follow GenPI's QLoRA recipe (learning rate 1e-4 with
/// a cosine schedule, 10 epochs).</summary>
public sealed class LanguageModelTrainerOptions
{
    /// <summary>Gets or sets the number of passes over the examples.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 100_000)]
    public int Epochs { get; set; } = 10;

    /// <summary>Gets or sets the number of sequences per optimizer step.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 4;

    /// <summary>Gets or sets the peak learning rate (AdamW).</summary>
    /// <value>The default value is 1e-4.</value>
    [Range(1e-8, 1.0)]
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>Gets or sets the share of steps of linear warm-up before the cosine decay to 0.</summary>
    /// <value>The default value is 0.03.</value>
    [Range(0.0, 0.5)]
    public double WarmupRatio { get; set; } = 0.03;

    /// <summary>Gets or sets AdamW's decoupled weight decay.</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; set; }

    /// <summary>Gets or sets the largest global gradient norm; larger gradients are scaled down. 0 turns clipping off.</summary>
    /// <value>The default value is 1.</value>
    [Range(0.0, 1e6)]
    public double MaxGradientNorm { get; set; } = 1.0;

    /// <summary>Gets or sets a value indicating whether each batch is drawn from examples of similar length (Hugging Face's
    /// <c>group_by_length</c>): the shuffled order is sorted by length in runs of 50 batches and the batches are shuffled
    /// again, so little compute goes to padding when short and long examples are mixed (as GenPI's imitation and
    /// prompt-generation examples are). The order stays a function of <see cref="Seed"/> and the epoch.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool GroupByLength { get; set; } = true;

    /// <summary>Gets or sets the seed of the example order and of dropout.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the checkpoint file, or <see langword="null"/> for none. It holds the trainable weights, the
    /// optimizer and the step, so that a run stopped anywhere resumes to exactly the weights an uninterrupted run reaches.</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Gets or sets the number of optimizer steps between checkpoints (a checkpoint is also written at the end and on cancellation).</summary>
    /// <value>The default value is 50.</value>
    [Range(1, int.MaxValue)]
    public int CheckpointInterval { get; set; } = 50;

    /// <summary>Gets or sets a value indicating whether an existing checkpoint at <see cref="CheckpointPath"/> is resumed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResumeFromCheckpoint { get; set; } = true;
}
