using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>A base for environments whose every step builds a prompt from the agents' actions, runs it through the
/// frozen model and rewards the answer: the model call goes through a <see cref="PromptScorer{TTarget}"/> (and so
/// through the shared <see cref="PromptEvaluator"/>: bounded concurrency across all environments, retries, timeouts,
/// cache), and a failed, empty, filtered, timed-out or rejected answer becomes a faulted step
/// (<see cref="EnvironmentStep.Faulted"/>) that the trainer handles by its <see cref="RolloutFaultPolicy"/>.</summary>
/// <typeparam name="TTarget">What the reward compares the answer with (reference texts, a ranking target, …).</typeparam>
/// <remarks>
/// <para>Derived classes say how an episode starts (<see cref="BeginEpisode"/>), what prompt the actions make
/// (<see cref="ComposePromptAsync"/>), what the observation is (<see cref="Observe"/>) and how a scored step changes the
/// state (<see cref="Advance"/>). When the model call faults, <see cref="Advance"/> is not called and the state stays
/// as it was, as the <see cref="EnvironmentStep.Faulted"/> contract requires.</para>
/// <para>One instance runs one episode at a time and is not thread-safe; create one per trainer slot.</para>
/// </remarks>
public abstract class PromptScoringEnvironment<TTarget> : IEnvironment
{
    private readonly PromptScorer<TTarget> _scorer;
    private readonly float[] _observation;

    /// <summary>Initializes a new instance of the <see cref="PromptScoringEnvironment{TTarget}"/> class.</summary>
    /// <param name="scorer">Runs a prompt through the frozen model and rewards the answer.</param>
    /// <param name="observationSize">The length of the observation vectors.</param>
    /// <param name="actionCounts">The number of actions of each agent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> or <paramref name="actionCounts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="observationSize"/> or an action count is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="actionCounts"/> is empty.</exception>
    protected PromptScoringEnvironment(PromptScorer<TTarget> scorer, int observationSize, IReadOnlyList<int> actionCounts)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentNullException.ThrowIfNull(actionCounts);
        ActionSpaceValidation.ThrowIfInvalid(actionCounts, nameof(actionCounts));
        _scorer = scorer;
        ObservationSize = observationSize;
        ActionCounts = [.. actionCounts];
        _observation = new float[observationSize];
    }

    /// <inheritdoc />
    public int ObservationSize { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Gets or sets a value indicating whether an episode is running (set it when restoring a checkpointed episode).</summary>
    protected bool IsEpisodeRunning { get; set; }

    /// <summary>Gets the last step's score (answer, status, reward), or <see langword="null"/> before the first step.</summary>
    public PromptScore? LastScore { get; private set; }

    /// <summary>Gets the number of model calls this environment has made (each retry of a faulted step is one).</summary>
    public long ModelCalls { get; private set; }

    /// <summary>Gets the number of steps whose model call faulted.</summary>
    public long FaultedSteps { get; private set; }

    /// <inheritdoc />
    public async ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await BeginEpisode(cancellationToken).ConfigureAwait(false);
        IsEpisodeRunning = true;
        LastScore = null;
        return new EnvironmentStep(CurrentObservation());
    }

    /// <inheritdoc />
    public async ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        if (!IsEpisodeRunning)
        {
            throw new InvalidOperationException($"No episode is running; call {nameof(ResetAsync)} first, or again after a terminal step.");
        }

        if (actions.Length != ActionCounts.Count)
        {
            throw new ArgumentException($"{actions.Length} action(s) were given; this environment has {ActionCounts.Count} agent(s).", nameof(actions));
        }

        for (int i = 0; i < actions.Length; i++)
        {
            int action = actions.Span[i];
            if ((uint)action >= (uint)ActionCounts[i])
            {
                throw new ArgumentOutOfRangeException(nameof(actions), action, $"Agent {i}'s action {action} is outside 0..{ActionCounts[i] - 1}.");
            }
        }

        (Prompt prompt, TTarget target) = await ComposePromptAsync(actions, cancellationToken).ConfigureAwait(false);
        ModelCalls++;
        PromptScore score = await _scorer.ScoreAsync(prompt, target, cancellationToken).ConfigureAwait(false);
        LastScore = score;
        if (!score.IsSuccess)
        {
            FaultedSteps++;
            return EnvironmentStep.Faulted(CurrentObservation(), $"{score.Evaluation.Status}{(score.IsRejected ? " (answer rejected by the reward)" : string.Empty)}");
        }

        StepOutcome outcome = await Advance(actions, score, cancellationToken).ConfigureAwait(false);
        IsEpisodeRunning = !(outcome.IsTerminal || outcome.IsTruncated);
        return new EnvironmentStep(CurrentObservation(), score.Reward!.Value, outcome.IsTerminal, outcome.IsTruncated);
    }

    /// <summary>Starts an episode (choose the user, clear the prompt state, …).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the episode is ready.</returns>
    protected abstract ValueTask BeginEpisode(CancellationToken cancellationToken);

    /// <summary>Builds the prompt the actions make in the current state, and the target its answer is rewarded against.</summary>
    /// <param name="actions">One action per agent, already range-checked.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>The prompt and the reward's target.</returns>
    protected abstract ValueTask<(Prompt Prompt, TTarget Target)> ComposePromptAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken);

    /// <summary>Writes the observation of the current state.</summary>
    /// <param name="destination">Exactly <see cref="ObservationSize"/> values; every one must be finite.</param>
    protected abstract void Observe(Span<float> destination);

    /// <summary>Applies a successfully scored step to the state.</summary>
    /// <param name="actions">The actions taken.</param>
    /// <param name="score">The score of the prompt they made.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    /// <returns>Whether the episode ended.</returns>
    protected abstract ValueTask<StepOutcome> Advance(ReadOnlyMemory<int> actions, PromptScore score, CancellationToken cancellationToken);

    private ImmutableArray<float> CurrentObservation()
    {
        Array.Clear(_observation);
        Observe(_observation);
        return [.. _observation];
    }
}
