using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>The outcome of <see cref="SupervisedTrainer.Train"/>.</summary>
public sealed class SupervisedTrainingResult
{
    internal SupervisedTrainingResult(ImmutableArray<SupervisedEpoch> history, int bestEpoch, bool stoppedEarly)
    {
        History = history;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>Gets one entry per epoch run.</summary>
    public ImmutableArray<SupervisedEpoch> History { get; }

    /// <summary>Gets the epoch whose weights the model holds now: the best validation loss with early stopping, else the last.</summary>
    public int BestEpoch { get; }

    /// <summary>Gets a value indicating whether early stopping ended training before the configured epochs.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Gets the last epoch's measurements.</summary>
    public SupervisedEpoch Last => History[^1];
}
