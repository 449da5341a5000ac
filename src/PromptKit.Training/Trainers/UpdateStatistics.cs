namespace PromptKit.Training;

/// <summary>What one policy update measured, averaged over its gradient steps.</summary>
internal readonly record struct UpdateStatistics(
    double PolicyLoss,
    double ValueLoss,
    double Entropy,
    double ApproximateKl,
    double ClipFraction,
    double? ReferenceKl,
    int Epochs);
