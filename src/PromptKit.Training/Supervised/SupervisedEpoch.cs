namespace PromptKit.Training;

/// <summary>What one supervised epoch measured.</summary>
public sealed class SupervisedEpoch
{
    /// <summary>Gets the 1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>Gets the mean cross-entropy over the training labels.</summary>
    public required double Loss { get; init; }

    /// <summary>Gets the share of training labels the greedy (masked arg-max) action matches, measured after the epoch.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Gets the mean cross-entropy over the validation labels, or <see langword="null"/> without validation examples.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Gets the validation accuracy, or <see langword="null"/> without validation examples.</summary>
    public double? ValidationAccuracy { get; init; }
}
