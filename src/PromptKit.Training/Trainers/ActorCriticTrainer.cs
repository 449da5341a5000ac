using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PromptKit.Training;

/// <summary>Synchronous advantage actor-critic (A2C) for one agent, or for several cooperating agents with centralized
/// training and decentralized execution: each agent has its own actor over its own action space and acts on the
/// observation alone; one centralized critic values the observation for the shared reward, and its advantage
/// drives every actor's policy gradient.</summary>
/// <remarks>
/// <para>Each iteration steps <see cref="OnPolicyTrainerOptions.EnvironmentCount"/> environments side by side for
/// <see cref="OnPolicyTrainerOptions.StepsPerEnvironment"/> steps, computes GAE(λ) advantages (λ = 0 gives the textbook
/// TD error r + γV(s') − V(s)), and takes one gradient step on
/// −Σ_i log π_i(a_i | s)·A − c_H·H + c_V·½(R − V(s))² with separate Adam optimizers for the actors and the critic.</para>
/// <para>Rollouts, fault handling, checkpoints (with exact resumption), progress, metrics and the learning curve are the
/// same as <see cref="PpoTrainer"/>'s. The trainer is stateless and thread-safe; each <see cref="TrainAsync"/> call is one run.</para>
/// </remarks>
public sealed class ActorCriticTrainer
{
    private readonly ActorCriticTrainerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="ActorCriticTrainer"/> class.</summary>
    /// <param name="options">The settings; validated now, and copied: later changes have no effect.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <param name="meterFactory">The meter factory for the <c>PromptKit.Training</c> meter, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for elapsed times, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public ActorCriticTrainer(ActorCriticTrainerOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        _options = OptionsCopy.Clone(options ?? new ActorCriticTrainerOptions());
        ActorCriticTrainerOptionsValidator.ThrowIfInvalid(_options);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _meterFactory = meterFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets a copy of the settings.</summary>
    public ActorCriticTrainerOptions Options => OptionsCopy.Clone(_options);

    /// <summary>Trains <paramref name="model"/> in place.</summary>
    /// <param name="model">The actors (one per agent) and the centralized critic.</param>
    /// <param name="environmentFactory">Creates the environment of each slot (0 to <see cref="OnPolicyTrainerOptions.EnvironmentCount"/> − 1), once per run.</param>
    /// <param name="progress">Receives one report per iteration, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.
    /// Cancellation stops at the next step; when checkpointing, the last finished iteration is checkpointed first.</param>
    /// <returns>The history of the run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="environmentFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">An environment does not match the model or breaks its contract.</exception>
    /// <exception cref="CheckpointException">The checkpoint to resume from is corrupt or for another configuration.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TrainingResult> TrainAsync(
        ActorCriticModel model,
        Func<int, IEnvironment> environmentFactory,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(environmentFactory);
        return await OnPolicyRun.TrainAsync(_options, new ActorCriticUpdate(_options), model, null, environmentFactory, _loggerFactory.CreateLogger<ActorCriticTrainer>(), _meterFactory, _timeProvider, progress, cancellationToken).ConfigureAwait(false);
    }
}
