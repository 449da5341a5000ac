using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>The outcome of a training run.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(ActorCriticModel model, ImmutableArray<TrainingProgress> history, int resumedAfterIteration, TimeSpan elapsed, int? bestIteration = null, double? bestValidationScore = null)
    {
        BestIteration = bestIteration;
        BestValidationScore = bestValidationScore;
        Model = model;
        History = history;
        ResumedAfterIteration = resumedAfterIteration;
        Elapsed = elapsed;
    }

    /// <summary>Gets the trained model (the instance passed to the trainer, updated in place).</summary>
    public ActorCriticModel Model { get; }

    /// <summary>Gets one entry per iteration run in this call (a resumed run lists only the iterations after the checkpoint).</summary>
    public ImmutableArray<TrainingProgress> History { get; }

    /// <summary>Gets the iteration the run resumed after, or 0 when it started fresh.</summary>
    public int ResumedAfterIteration { get; }

    /// <summary>Gets the wall time of this call.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the last iteration's progress, or <see langword="null"/> when no iteration ran in this call.</summary>
    public TrainingProgress? Last => History.IsDefaultOrEmpty ? null : History[^1];

    /// <summary>Gets the iteration whose weights scored best on <see cref="OnPolicyTrainerOptions.Validation"/> over the
    /// whole run, resumed parts included (ties keep the earlier iteration).</summary>
    /// <value><see langword="null"/> without validation. With <see cref="OnPolicyTrainerOptions.KeepBestWeights"/>,
    /// <see cref="Model"/> holds this iteration's weights.</value>
    public int? BestIteration { get; }

    /// <summary>Gets the validation score of <see cref="BestIteration"/>.</summary>
    /// <value><see langword="null"/> without validation.</value>
    public double? BestValidationScore { get; }
}
