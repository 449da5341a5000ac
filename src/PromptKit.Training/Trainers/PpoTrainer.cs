using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PromptKit.Training;

/// <summary>Proximal policy optimization for one or more cooperating agents with discrete actions.</summary>
/// <remarks>
/// <para>Each iteration steps <see cref="OnPolicyTrainerOptions.EnvironmentCount"/> environments side by side for
/// <see cref="OnPolicyTrainerOptions.StepsPerEnvironment"/> steps (episodes may span several steps and continue
/// across iterations; a time-limit truncation is bootstrapped from the critic), computes GAE(λ) advantages, and
/// makes <see cref="PpoTrainerOptions.Epochs"/> passes of shuffled minibatches over the rollout: clipped surrogate
/// (per agent, summed, as MAPPO does), optional value clipping, advantage normalization, entropy bonus, global
/// gradient-norm clipping, optional linear learning-rate annealing, approximate-KL early stop, and an optional fixed or
/// adaptive KL penalty to a reference policy (pass one to <see cref="TrainAsync"/>) so that fine-tuning after
/// supervised pre-training stays close to it.</para>
/// <para>Actions are sampled by a <see cref="TrainingRandom"/> seeded from the options; the trainer's random state, the
/// model, both Adam optimizers, the counters and — for <see cref="ICheckpointableEnvironment"/>s — the environments'
/// state go into the checkpoint, so a resumed run reproduces the uninterrupted one exactly.</para>
/// <para>The trainer itself is stateless and thread-safe; each <see cref="TrainAsync"/> call is one run.</para>
/// </remarks>
public sealed class PpoTrainer
{
    private readonly PpoTrainerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="PpoTrainer"/> class.</summary>
    /// <param name="options">The settings; validated now, and copied: later changes have no effect.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <param name="meterFactory">The meter factory for the <c>PromptKit.Training</c> meter, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for elapsed times, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public PpoTrainer(PpoTrainerOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        _options = OptionsCopy.Clone(options ?? new PpoTrainerOptions());
        PpoTrainerOptionsValidator.ThrowIfInvalid(_options);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _meterFactory = meterFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets a copy of the settings.</summary>
    public PpoTrainerOptions Options => OptionsCopy.Clone(_options);

    /// <summary>Trains <paramref name="model"/> in place.</summary>
    /// <param name="model">The actors and critic; its observation size and action counts must match the environments'.</param>
    /// <param name="environmentFactory">Creates the environment of each slot (0 to <see cref="OnPolicyTrainerOptions.EnvironmentCount"/> − 1),
    /// once per run; derive each one's seed from the slot, e.g. <c>TrainingRandom.DeriveSeed(seed, slot)</c>.</param>
    /// <param name="reference">The reference policy of the KL penalty (frozen: it is never updated), or
    /// <see langword="null"/>; required when <see cref="PpoTrainerOptions.KlPenalty"/> is not <see cref="KlPenaltyMode.None"/>.</param>
    /// <param name="progress">Receives one report per iteration, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.
    /// Cancellation stops at the next step; when checkpointing, the last finished iteration is checkpointed first.</param>
    /// <returns>The history of the run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="environmentFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reference"/> is missing although a KL penalty is configured,
    /// is the model itself, or differs from the model in observation size or action counts.</exception>
    /// <exception cref="InvalidOperationException">An environment does not match the model or breaks its contract.</exception>
    /// <exception cref="CheckpointException">The checkpoint to resume from is corrupt or for another configuration.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="CallBudgetExceededException">The evaluator's <see cref="PromptEvaluatorOptions.Budget"/> was spent: a clean stop, with the checkpoint written as for a cancellation.</exception>
    public async Task<TrainingResult> TrainAsync(
        ActorCriticModel model,
        Func<int, IEnvironment> environmentFactory,
        ActorCriticModel? reference = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(environmentFactory);
        if (_options.KlPenalty != KlPenaltyMode.None && reference is null)
        {
            throw new ArgumentException($"KlPenalty is {_options.KlPenalty}, which needs a reference policy; pass one (e.g. model.Clone() after supervised training) or set KlPenalty to None.", nameof(reference));
        }

        OnPolicyRun.ValidateReference(model, reference, nameof(reference));
        ILogger logger = _loggerFactory.CreateLogger<PpoTrainer>();
        return await OnPolicyRun.TrainAsync(_options, new PpoUpdate(_options, logger), model, reference, environmentFactory, logger, _meterFactory, _timeProvider, progress, cancellationToken).ConfigureAwait(false);
    }
}
