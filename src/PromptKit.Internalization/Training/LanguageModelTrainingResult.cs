namespace PromptKit.Internalization;

/// <summary>What a <see cref="LanguageModelTrainer"/> run did.</summary>
public sealed class LanguageModelTrainingResult
{
    internal LanguageModelTrainingResult(int steps, int resumedFromStep, IReadOnlyList<double> epochLosses, TimeSpan elapsed)
    {
        Steps = steps;
        ResumedFromStep = resumedFromStep;
        EpochLosses = epochLosses;
        Elapsed = elapsed;
    }

    /// <summary>Gets the optimizer steps of the whole run.</summary>
    public int Steps { get; }

    /// <summary>Gets the step the run resumed from (0 when it started fresh).</summary>
    public int ResumedFromStep { get; }

    /// <summary>Gets each epoch's mean step loss (epochs finished before a resume are included as saved).</summary>
    public IReadOnlyList<double> EpochLosses { get; }

    /// <summary>Gets the wall time of this call.</summary>
    public TimeSpan Elapsed { get; }
}
