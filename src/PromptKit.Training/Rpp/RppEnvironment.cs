namespace PromptKit.Training;

/// <summary>The Reinforced Prompt Personalization environment: each episode is one training user; each step the four
/// pattern agents choose a sentence each, the prompt they make is sent to the frozen model, and the reward is the
/// NDCG@k of the model's ranking of the user's candidates.</summary>
/// <remarks>
/// <para>An episode lasts <see cref="RppStateEncoder.Iterations"/> steps and ends terminally after the last one. The
/// observation is <see cref="RppStateEncoder"/>'s. With an <see cref="RppRefiner"/> (RPP+), the chosen sentences are
/// refined by an LLM for the user's context (<see cref="RppEpisode.GetRefinementContext"/>) before they go into the prompt.
/// A failed model call is a faulted step (the state is left unchanged) for the trainer's <see cref="RolloutFaultPolicy"/>;
/// what an unparseable answer is depends on the scorer's reward: <see cref="RppTrainer"/> scores it 0 and records it in
/// the state (<see cref="RppEpisode.LastAnswerUnparsed"/>), so a format that does not parse is penalized.</para>
/// <para>The user of each episode is drawn with the environment's own <see cref="TrainingRandom"/>, whose state is
/// checkpointed, so that a resumed run draws the same users. With a <see cref="CandidateResampler"/>, each episode also
/// gets freshly drawn negatives for its user (from a seed drawn from the same generator and checkpointed with the
/// episode), so the agents learn what suits the user rather than one candidate set.</para>
/// </remarks>
public sealed class RppEnvironment : PromptScoringEnvironment<RankingTarget>, ICheckpointableEnvironment
{
    private readonly IReadOnlyList<RecommendationExample> _users;
    private readonly RppStateEncoder _encoder;
    private readonly RppPromptComposer _composer;
    private readonly RppRefiner? _refiner;
    private readonly CandidateResampler? _negatives;
    private readonly TrainingRandom _random;
    private RppEpisode? _episode;
    private int _userIndex = -1;
    private int _candidateSeed;
    private RppSelection? _pendingSelection;

    /// <summary>Initializes a new instance of the <see cref="RppEnvironment"/> class.</summary>
    /// <param name="users">The training users the episodes draw from.</param>
    /// <param name="encoder">The state encoder.</param>
    /// <param name="composer">Builds prompts from the agents' choices.</param>
    /// <param name="scorer">Runs a prompt through the frozen model and computes NDCG of its ranking.</param>
    /// <param name="seed">The seed of the user draws.</param>
    /// <param name="refiner">Refines the chosen sentences (RPP+), or <see langword="null"/> for RPP.</param>
    /// <param name="negatives">Draws fresh negatives for each episode, or <see langword="null"/> to keep each user's
    /// candidates.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="users"/> is empty.</exception>
    public RppEnvironment(IReadOnlyList<RecommendationExample> users, RppStateEncoder encoder, RppPromptComposer composer, PromptScorer<RankingTarget> scorer, long seed, RppRefiner? refiner = null, CandidateResampler? negatives = null)
        : base(scorer, (encoder ?? throw new ArgumentNullException(nameof(encoder))).Dimension, (composer ?? throw new ArgumentNullException(nameof(composer))).Spaces.ActionCounts)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one training user is required.", nameof(users));
        }

        _users = users;
        _encoder = encoder;
        _composer = composer;
        _refiner = refiner;
        _negatives = negatives;
        _random = new TrainingRandom(seed);
    }

    /// <summary>Gets the current episode, or <see langword="null"/> before the first reset.</summary>
    public RppEpisode? Episode => _episode;

    /// <inheritdoc />
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var state = new byte[TrainingRandom.StateSize];
        _random.GetState(state);
        writer.Write(state);
        writer.Write(_userIndex);
        writer.Write(_negatives is not null);
        writer.Write(_candidateSeed);
        _episode?.WriteState(writer);
    }

    /// <inheritdoc />
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _random.SetState(reader.ReadBytes(TrainingRandom.StateSize));
        _userIndex = reader.ReadInt32();
        if (_userIndex >= _users.Count)
        {
            throw new InvalidDataException($"The saved user index {_userIndex} is outside the {_users.Count} training users.");
        }

        bool resampled = reader.ReadBoolean();
        if (resampled != (_negatives is not null))
        {
            throw new InvalidDataException(resampled
                ? "The saved episode drew fresh negatives, but this environment has no CandidateResampler; resume with the same negatives setting."
                : "The saved episode kept the user's fixed candidates, but this environment draws fresh negatives; resume with the same negatives setting.");
        }

        _candidateSeed = reader.ReadInt32();
        _episode = _userIndex >= 0 ? new RppEpisode(EpisodeExample(), _composer) : null;
        _episode?.ReadState(reader);
        IsEpisodeRunning = _episode is not null && _episode.Iteration < _encoder.Iterations;
    }

    /// <inheritdoc />
    protected override ValueTask BeginEpisode(CancellationToken cancellationToken)
    {
        _userIndex = _random.Next(_users.Count);
        _candidateSeed = _negatives is null ? 0 : _random.Next(int.MaxValue);
        _episode = new RppEpisode(EpisodeExample(), _composer);
        return ValueTask.CompletedTask;
    }

    // The current user's example, with the episode's own negatives when resampling.
    private RecommendationExample EpisodeExample() =>
        _negatives is null ? _users[_userIndex] : _negatives.Resample(_users[_userIndex], new Random(_candidateSeed));

    /// <inheritdoc />
    protected override async ValueTask<(Prompt Prompt, RankingTarget Target)> ComposePromptAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken)
    {
        RppEpisode episode = _episode ?? throw new InvalidOperationException("No episode is running.");
        var selection = new RppSelection(actions.Span);
        if (_refiner is not null)
        {
            selection = await _refiner.RefineAsync(selection, episode.GetRefinementContext(selection), cancellationToken).ConfigureAwait(false);
        }

        _pendingSelection = selection;
        return (episode.Compose(selection), episode.Example.RankingTarget);
    }

    /// <inheritdoc />
    protected override void Observe(Span<float> destination)
    {
        if (_episode is not null)
        {
            _encoder.Encode(_episode, destination);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<StepOutcome> Advance(ReadOnlyMemory<int> actions, PromptScore score, CancellationToken cancellationToken)
    {
        RppEpisode episode = _episode ?? throw new InvalidOperationException("No episode is running.");
        episode.Advance(_pendingSelection!, score.Prompt, score.Evaluation.Text ?? string.Empty);
        return ValueTask.FromResult(new StepOutcome(IsTerminal: episode.Iteration >= _encoder.Iterations));
    }
}
