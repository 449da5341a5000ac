using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>The settings that every on-policy trainer (<see cref="PpoTrainer"/>, <see cref="ActorCriticTrainer"/>)
/// shares: rollouts, discounting, optimization, fault handling, checkpoints and the learning curve.</summary>
public abstract class OnPolicyTrainerOptions
{
    /// <summary>Gets or sets the number of environments stepped side by side (their model calls run concurrently,
    /// bounded by the <see cref="PromptEvaluator"/>'s concurrency limit).</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 4096)]
    public int EnvironmentCount { get; set; } = 4;

    /// <summary>Gets or sets the number of steps each environment takes per rollout; a rollout holds
    /// <see cref="EnvironmentCount"/> × this many transitions. Episodes continue across rollouts.</summary>
    /// <value>The default value is 128.</value>
    [Range(1, 1_048_576)]
    public int StepsPerEnvironment { get; set; } = 128;

    /// <summary>Gets or sets the number of iterations (rollout + update) to train for.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000_000)]
    public int Iterations { get; set; } = 100;

    /// <summary>Gets or sets the discount factor γ.</summary>
    /// <value>The default value is 0.99.</value>
    [Range(0.0, 1.0)]
    public double Gamma { get; set; } = 0.99;

    /// <summary>Gets or sets the GAE λ: 0 gives the one-step TD error r + γV(s') − V(s), 1 Monte Carlo returns.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.0, 1.0)]
    public double GaeLambda { get; set; } = 0.95;

    /// <summary>Gets or sets the Adam learning rate of the actors.</summary>
    /// <value>The default value is 3e-4.</value>
    [Range(1e-8, 1.0)]
    public double ActorLearningRate { get; set; } = 3e-4;

    /// <summary>Gets or sets the Adam learning rate of the critic.</summary>
    /// <value>The default value is 3e-4.</value>
    [Range(1e-8, 1.0)]
    public double CriticLearningRate { get; set; } = 3e-4;

    /// <summary>Gets or sets a value indicating whether both learning rates fall linearly to 0 over <see cref="Iterations"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AnnealLearningRate { get; set; }

    /// <summary>Gets or sets a value indicating whether each episode's advantages are centred on their own mean (see
    /// <see cref="AdvantageEstimation.CenterPerEpisode"/>) before the policy update: a per-episode baseline, useful where
    /// the start of an episode (a user, a task) decides much of every step's reward. The critic's targets are unchanged.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CenterAdvantagesPerEpisode { get; set; }

    /// <summary>Gets or sets the global gradient-norm limit (over every parameter of the model), or 0 for none.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 1e6)]
    public double MaxGradientNorm { get; set; } = 0.5;

    /// <summary>Gets or sets the weight of the entropy bonus.</summary>
    /// <value>The default value is 0.01.</value>
    [Range(0.0, 100.0)]
    public double EntropyCoefficient { get; set; } = 0.01;

    /// <summary>Gets or sets the weight of the value loss.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 100.0)]
    public double ValueCoefficient { get; set; } = 0.5;

    /// <summary>Gets or sets the seed of every random choice the trainer makes (actions, minibatches; environment
    /// slot <c>i</c> is created with a seed derived from this one).</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; set; }

    /// <summary>Gets or sets what to do with a step whose reward could not be computed.</summary>
    /// <value>The default value is <see cref="RolloutFaultPolicy.Retry"/>.</value>
    [EnumDataType(typeof(RolloutFaultPolicy))]
    public RolloutFaultPolicy FaultPolicy { get; set; } = RolloutFaultPolicy.Retry;

    /// <summary>Gets or sets how many times a faulted step is retried under <see cref="RolloutFaultPolicy.Retry"/>.</summary>
    /// <value>The default value is 2.</value>
    [Range(0, 100)]
    public int MaxFaultRetries { get; set; } = 2;

    /// <summary>Gets or sets the checkpoint file, or <see langword="null"/> for none. The file holds the model, both
    /// optimizers' state, the trainer's random state, the step counters and (where the environments allow) their state.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CheckpointPath { get; set; }

    /// <summary>Gets or sets how many iterations pass between checkpoints; the last iteration and a cancelled run are
    /// always checkpointed.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 10_000_000)]
    public int CheckpointInterval { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether training resumes from <see cref="CheckpointPath"/> when that file
    /// exists (it is verified first; a corrupt file throws <see cref="CheckpointException"/>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResumeFromCheckpoint { get; set; } = true;

    /// <summary>Gets or sets a CSV file that receives one row of <see cref="TrainingProgress"/> per iteration, or
    /// <see langword="null"/> for none. A resumed run appends.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? LearningCurvePath { get; set; }

    /// <summary>Gets or sets the held-out validation that scores the policy being trained (higher is better), or
    /// <see langword="null"/> to train without validation.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// <para>The trainer calls it after the update of every <see cref="ValidateEvery"/>-th iteration and of the last one,
    /// with the model as that update left it; it must not change the model's weights and should score data that the
    /// training environments never see (validation users, not training or test users). Its score is reported in
    /// <see cref="TrainingProgress.ValidationScore"/> and in the learning curve's <c>validation_score</c> column.</para>
    /// <para>With <see cref="KeepBestWeights"/>, the weights of the best-scoring iteration are kept, written into every
    /// checkpoint with the run, and loaded into the model when training ends, so a resumed run still ends with the
    /// best weights of the whole run. A score that is not a finite number ends training with an
    /// <see cref="InvalidOperationException"/>, and an exception thrown by the validation ends it too; the checkpoint
    /// then holds the last iteration written before. Cancelling during a validation checkpoints the finished update, and
    /// the resumed run validates that iteration first.</para>
    /// </remarks>
    public Func<ActorCriticModel, CancellationToken, ValueTask<double>>? Validation { get; set; }

    /// <summary>Gets or sets how many iterations pass between two calls of <see cref="Validation"/>; the last iteration is
    /// always validated.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 10_000_000)]
    public int ValidateEvery { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether training ends with the weights of the iteration that scored best
    /// on <see cref="Validation"/> (ties keep the earlier iteration) instead of the last iteration's weights.</summary>
    /// <value>The default value is <see langword="true"/>. Without <see cref="Validation"/> it has no effect.</value>
    public bool KeepBestWeights { get; set; } = true;

    internal long RolloutSize => (long)EnvironmentCount * StepsPerEnvironment;

    internal void AddCommonCrossErrors(Microsoft.Extensions.Options.ValidateOptionsResultBuilder result)
    {
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath))
        {
            result.AddError("CheckpointPath is empty or white space; set a file path or null.", nameof(CheckpointPath));
        }

        if (LearningCurvePath is not null && string.IsNullOrWhiteSpace(LearningCurvePath))
        {
            result.AddError("LearningCurvePath is empty or white space; set a file path or null.", nameof(LearningCurvePath));
        }

        if (CheckpointPath is not null && LearningCurvePath is not null
            && string.Equals(Path.GetFullPath(CheckpointPath), Path.GetFullPath(LearningCurvePath), StringComparison.Ordinal))
        {
            result.AddError($"CheckpointPath and LearningCurvePath are the same file ({CheckpointPath}); use two files.", nameof(LearningCurvePath));
        }

        if (RolloutSize > 16_777_216)
        {
            result.AddError($"EnvironmentCount × StepsPerEnvironment ({RolloutSize}) exceeds 16,777,216 transitions per rollout.", nameof(StepsPerEnvironment));
        }
    }
}
