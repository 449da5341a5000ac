using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>The reinforcement-learning environment of the rewriting method: each episode rewrites one example's prompt
/// as a sequence of copied elements (<see cref="PointerRewriteLayout"/>); when the policy stops (or reaches the maximum
/// length) the frozen model runs the rewritten prompt and the reward scores its output against the user's real text.</summary>
/// <remarks>
/// <para>Every step but the last has reward 0; the last has the reward of the whole rewrite. Invalid actions are masked
/// (<see cref="IMaskedEnvironment"/>). A frozen-model call that fails, or an answer the reward rejects (empty, refused),
/// is a faulted step: counted, never scored, and handled by the trainer's <see cref="RolloutFaultPolicy"/>.</para>
/// <para>Examples are drawn uniformly with a seeded generator; the generator and the episode in progress are saved
/// with checkpoints, so a resumed run continues where it stopped.</para>
/// </remarks>
public sealed class PromptRewritingEnvironment : IMaskedEnvironment, ICheckpointableEnvironment
{
    private readonly IReadOnlyList<RewritingExample> _examples;
    private readonly PointerRewriteLayout _layout;
    private readonly PromptScorer<IReadOnlyList<string>> _scorer;
    private readonly TrainingRandom _random;
    private readonly double?[]? _originalRewards;
    private PointerRewriteEpisode? _episode;
    private int _exampleIndex = -1;

    /// <summary>Initializes a new instance of the <see cref="PromptRewritingEnvironment"/> class.</summary>
    /// <param name="examples">The training examples.</param>
    /// <param name="layout">The rewriter's layout.</param>
    /// <param name="scorer">Runs a prompt through the frozen model and scores the output against the references.</param>
    /// <param name="seed">Seeds the example draws.</param>
    /// <param name="rewardRelativeToOriginal">When <see langword="true"/>, the final reward is the rewrite's reward minus
    /// the original prompt's reward for the same example (scored once per example and kept by the environment): the same
    /// best rewrite per example, far less variance between examples whose texts are easy or hard to match.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty or holds <see langword="null"/>.</exception>
    public PromptRewritingEnvironment(IReadOnlyList<RewritingExample> examples, PointerRewriteLayout layout, PromptScorer<IReadOnlyList<string>> scorer, long seed, bool rewardRelativeToOriginal = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(scorer);
        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one training example is required.", nameof(examples));
        }

        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null)
            {
                throw new ArgumentException($"The example at index {i} is null.", nameof(examples));
            }
        }

        _examples = examples;
        _layout = layout;
        _scorer = scorer;
        _random = new TrainingRandom(seed);
        _originalRewards = rewardRelativeToOriginal ? new double?[examples.Count] : null;
        ActionCounts = [layout.ActionCount];
    }

    /// <inheritdoc/>
    public int ObservationSize => _layout.ObservationSize;

    /// <inheritdoc/>
    public IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Gets the number of frozen-model requests made (one per finished rewrite, retries included, and one for
    /// the original prompt the first time an example ends with a relative reward; the evaluator's cache answers repeats).</summary>
    public long ModelCalls { get; private set; }

    /// <summary>Gets the number of faulted steps (failed calls and rejected answers).</summary>
    public long FaultedSteps { get; private set; }

    /// <summary>Gets the score of the last finished rewrite, or <see langword="null"/>.</summary>
    public PromptScore? LastScore { get; private set; }

    /// <inheritdoc/>
    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _exampleIndex = _random.Next(_examples.Count);
        _episode = _layout.Begin(_examples[_exampleIndex].Prompt);
        LastScore = null;
        return ValueTask.FromResult(new EnvironmentStep(Observe()));
    }

    /// <inheritdoc/>
    public async ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        PointerRewriteEpisode episode = _episode is { IsFinished: false } running
            ? running
            : throw new InvalidOperationException($"No episode is running; call {nameof(ResetAsync)} first, or again after a terminal step.");
        if (actions.Length != 1)
        {
            throw new ArgumentException($"{actions.Length} actions were given; this environment has one agent.", nameof(actions));
        }

        int action = actions.Span[0];
        if ((uint)action >= (uint)_layout.ActionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), action, $"Action {action} is outside 0..{_layout.ActionCount - 1}.");
        }

        if (!episode.IsAllowed(action))
        {
            throw new ArgumentOutOfRangeException(nameof(actions), action, $"Action {action} is masked in this state (no such element, or no copies left); sample only allowed actions.");
        }

        if (!episode.Apply(action))
        {
            return new EnvironmentStep(Observe());
        }

        RewritingExample example = _examples[_exampleIndex];
        ModelCalls++;
        PromptScore score = await _scorer.ScoreAsync(episode.Compose(), example.References, cancellationToken).ConfigureAwait(false);
        LastScore = score;
        double baseline = 0;
        if (score.IsSuccess && _originalRewards is not null)
        {
            if (_originalRewards[_exampleIndex] is double known)
            {
                baseline = known;
            }
            else
            {
                ModelCalls++;
                PromptScore original = await _scorer.ScoreAsync(example.Prompt, example.References, cancellationToken).ConfigureAwait(false);
                score = original.IsSuccess ? score : original;
                baseline = original.Reward ?? 0;
                _originalRewards[_exampleIndex] = original.Reward;
            }
        }

        if (!score.IsSuccess)
        {
            // The trainer retries or drops this step; undo the finishing action so a retry replays it from the same state.
            FaultedSteps++;
            _episode = Replay(episode, withoutLast: action != _layout.StopAction);
            return EnvironmentStep.Faulted(Observe(), $"{score.Evaluation.Status}{(score.IsRejected ? " (answer rejected by the reward)" : string.Empty)}");
        }

        return new EnvironmentStep(Observe(), score.Reward!.Value - baseline, isTerminal: true);
    }

    /// <inheritdoc/>
    public void GetActionMask(int agent, Span<bool> mask)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(agent, 0);
        PointerRewriteEpisode episode = _episode ?? throw new InvalidOperationException($"No episode is running; call {nameof(ResetAsync)} first.");
        episode.GetMask(mask);
    }

    /// <inheritdoc/>
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var state = new byte[TrainingRandom.StateSize];
        _random.GetState(state);
        writer.Write(state);
        writer.Write(_exampleIndex);
        IReadOnlyList<int> emitted = _episode?.Emitted ?? [];
        writer.Write(_episode is { IsFinished: false });
        writer.Write(emitted.Count);
        foreach (int index in emitted)
        {
            writer.Write(index);
        }
    }

    /// <inheritdoc/>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _random.SetState(reader.ReadBytes(TrainingRandom.StateSize));
        _exampleIndex = reader.ReadInt32();
        if (_exampleIndex >= _examples.Count)
        {
            throw new InvalidDataException($"The saved example index {_exampleIndex} is outside the {_examples.Count} training examples.");
        }

        bool running = reader.ReadBoolean();
        int count = reader.ReadInt32();
        if (count < 0 || count > _layout.MaxLength)
        {
            throw new InvalidDataException($"The saved episode has {count} emitted elements; at most {_layout.MaxLength} are possible.");
        }

        _episode = _exampleIndex >= 0 ? _layout.Begin(_examples[_exampleIndex].Prompt) : null;
        for (int i = 0; i < count; i++)
        {
            int index = reader.ReadInt32();
            if (_episode is null || !_episode.IsAllowed(index) || index == _layout.StopAction)
            {
                throw new InvalidDataException($"The saved episode emits element {index}, which this example's prompt does not allow.");
            }

            _episode.Apply(index);
        }

        if (!running && _episode is { IsFinished: false })
        {
            _episode.Apply(_layout.StopAction);
        }
    }

    private PointerRewriteEpisode Replay(PointerRewriteEpisode episode, bool withoutLast)
    {
        PointerRewriteEpisode replay = _layout.Begin(episode.Prompt);
        int count = episode.Emitted.Count - (withoutLast ? 1 : 0);
        for (int i = 0; i < count; i++)
        {
            replay.Apply(episode.Emitted[i]);
        }

        return replay;
    }

    private ImmutableArray<float> Observe()
    {
        var observation = new float[_layout.ObservationSize];
        _episode?.Observe(observation);
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(observation); // the fresh array is not kept, so no copy
    }
}
