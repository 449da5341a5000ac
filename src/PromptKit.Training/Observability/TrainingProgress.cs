namespace PromptKit.Training;

/// <summary>What one training iteration (a rollout and the update that follows it) did; reported through
/// <see cref="IProgress{T}"/>, written to the learning-curve CSV, and kept in <see cref="TrainingResult.History"/>.</summary>
public sealed class TrainingProgress
{
    /// <summary>Gets the 1-based iteration number.</summary>
    public required int Iteration { get; init; }

    /// <summary>Gets the number of iterations the run was configured for.</summary>
    public required int TotalIterations { get; init; }

    /// <summary>Gets the environment steps taken so far (every agent acting once is one step), faulted ones included.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Gets the episodes finished so far.</summary>
    public required long TotalEpisodes { get; init; }

    /// <summary>Gets the episodes that finished during this iteration's rollout.</summary>
    public required int Episodes { get; init; }

    /// <summary>Gets the mean undiscounted return of the episodes that finished in this rollout, or <see langword="null"/>
    /// when none finished.</summary>
    public double? MeanEpisodeReturn { get; init; }

    /// <summary>Gets the mean length of the episodes that finished in this rollout, or <see langword="null"/> when none did.</summary>
    public double? MeanEpisodeLength { get; init; }

    /// <summary>Gets the mean reward per recorded (non-dropped) step of this rollout.</summary>
    public required double MeanStepReward { get; init; }

    /// <summary>Gets the policy (surrogate) loss, averaged over the update's gradient steps.</summary>
    public required double PolicyLoss { get; init; }

    /// <summary>Gets the value loss, averaged over the update's gradient steps.</summary>
    public required double ValueLoss { get; init; }

    /// <summary>Gets the policy entropy summed over agents, averaged over the update's gradient steps.</summary>
    public required double Entropy { get; init; }

    /// <summary>Gets the approximate KL divergence from the rollout's policy to the updated one (the k3 estimator
    /// (r − 1) − log r, summed over agents).</summary>
    public required double ApproximateKl { get; init; }

    /// <summary>Gets the share of samples whose probability ratio was clipped (PPO; 0 for actor-critic).</summary>
    public required double ClipFraction { get; init; }

    /// <summary>Gets the mean exact KL(π ‖ π_ref) to the reference policy, or <see langword="null"/> without a reference.</summary>
    public double? ReferenceKl { get; init; }

    /// <summary>Gets the KL-penalty coefficient β in force after this update (0 without a penalty).</summary>
    public required double KlCoefficient { get; init; }

    /// <summary>Gets the explained variance of the critic's values against the returns (1 is perfect; ≤ 0 is no better
    /// than predicting the mean).</summary>
    public required double ExplainedVariance { get; init; }

    /// <summary>Gets the actor learning rate used in this update.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Gets the number of passes over the rollout the update made (fewer than configured when the KL early
    /// stop fired).</summary>
    public required int UpdateEpochs { get; init; }

    /// <summary>Gets the steps of this rollout whose reward could not be computed, retries included.</summary>
    public required int FaultedSteps { get; init; }

    /// <summary>Gets the steps of this rollout dropped after their faults (see <see cref="RolloutFaultPolicy"/>).</summary>
    public required int DroppedSteps { get; init; }

    /// <summary>Gets the faulted steps so far.</summary>
    public required long TotalFaultedSteps { get; init; }

    /// <summary>Gets the wall time since the run (or its resumption) started.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets the score of <see cref="OnPolicyTrainerOptions.Validation"/> after this iteration's update.</summary>
    /// <value><see langword="null"/> when this iteration was not validated.</value>
    public double? ValidationScore { get; init; }
}
