using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Runs trained RPP pattern agents for a user and returns that user's personalized prompt — at inference time,
/// with no training stack: the agents are any <see cref="IDiscretePolicy"/> (TorchSharp actors from a checkpoint, or
/// <c>OnnxPolicy</c> over exported ONNX files).</summary>
/// <remarks>
/// <para>For <see cref="RppStateEncoder.Iterations"/> iterations: encode the state, let each of the four agents pick its
/// most probable sentence (arg-max), refine the sentences for the user's context when an <see cref="RppRefiner"/> is given (RPP+), compose the
/// prompt, ask the model, and record its answer in the state. The result is the last iteration's prompt and answer.
/// Nothing reads the user's held-out item: scoring the answer is the caller's business, afterwards.</para>
/// <para>Thread-safe when the policies and the evaluator are; each call runs its own episode.</para>
/// </remarks>
public sealed class PromptPersonalizer
{
    private readonly IDiscretePolicy[] _agents;
    private readonly RppStateEncoder _encoder;
    private readonly RppPromptComposer _composer;
    private readonly PromptEvaluator _evaluator;
    private readonly RppRefiner? _refiner;
    private readonly int _maxActionCount;

    /// <summary>Initializes a new instance of the <see cref="PromptPersonalizer"/> class.</summary>
    /// <param name="agents">The four pattern agents in <see cref="RppPattern"/> order.</param>
    /// <param name="encoder">The state encoder the agents were trained with.</param>
    /// <param name="composer">Builds prompts from selections.</param>
    /// <param name="evaluator">Sends prompts to the frozen model.</param>
    /// <param name="refiner">Refines the chosen sentences (RPP+), or <see langword="null"/> for plain RPP.</param>
    /// <exception cref="ArgumentNullException">A required argument or an agent is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are not four agents, or an agent's sizes do not match the encoder or its action space.</exception>
    public PromptPersonalizer(IReadOnlyList<IDiscretePolicy> agents, RppStateEncoder encoder, RppPromptComposer composer, PromptEvaluator evaluator, RppRefiner? refiner = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(evaluator);
        ImmutableArray<int> counts = composer.Spaces.ActionCounts;
        if (agents.Count != counts.Length)
        {
            throw new ArgumentException($"{agents.Count} agents were given; RPP has {counts.Length} pattern agents (role-playing, history records, reasoning guidance, output format).", nameof(agents));
        }

        for (int i = 0; i < agents.Count; i++)
        {
            IDiscretePolicy agent = agents[i] ?? throw new ArgumentNullException(nameof(agents), $"Agent {i} is null.");
            if (agent.ObservationSize != encoder.Dimension)
            {
                throw new ArgumentException($"Agent {i} reads observations of length {agent.ObservationSize}; the state encoder writes {encoder.Dimension}.", nameof(agents));
            }

            if (agent.ActionCount != counts[i])
            {
                throw new ArgumentException($"Agent {i} ({(RppPattern)i}) has {agent.ActionCount} actions; its action space has {counts[i]}.", nameof(agents));
            }
        }

        _agents = [.. agents];
        _maxActionCount = counts.Max();
        _encoder = encoder;
        _composer = composer;
        _evaluator = evaluator;
        _refiner = refiner;
    }

    /// <summary>Chooses the four sentences for an episode's current state (arg-max of each agent).</summary>
    /// <param name="episode">The episode.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="episode"/> is <see langword="null"/>.</exception>
    public RppSelection Choose(RppEpisode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var observation = new float[_encoder.Dimension];
        _encoder.Encode(episode, observation);
        Span<int> indices = stackalloc int[_agents.Length];
        var buffer = new float[_maxActionCount];
        for (int i = 0; i < _agents.Length; i++)
        {
            Span<float> logits = buffer.AsSpan(0, _agents[i].ActionCount);
            _agents[i].ComputeLogits(observation, logits);
            indices[i] = PolicyMath.ArgMax(logits);
        }

        return new RppSelection(indices);
    }

    /// <summary>Builds a user's personalized prompt.</summary>
    /// <param name="user">The user (history and candidates; the target is not read).</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The final prompt and the model's answer to it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PersonalizedPrompt> PersonalizeAsync(RecommendationExample user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var episode = new RppEpisode(user, _composer);
        var selections = ImmutableArray.CreateBuilder<RppSelection>(_encoder.Iterations);
        Prompt? prompt = null;
        RppSelection? selection = null;
        PromptEvaluation? answer = null;
        int calls = 0, failed = 0;
        for (int t = 0; t < _encoder.Iterations; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            selection = Choose(episode);
            if (_refiner is not null)
            {
                selection = await _refiner.RefineAsync(selection, episode.GetRefinementContext(selection), cancellationToken).ConfigureAwait(false);
            }

            selections.Add(selection);
            prompt = episode.Compose(selection);
            answer = await _evaluator.EvaluateAsync(prompt, _composer.Format, cancellationToken: cancellationToken).ConfigureAwait(false);
            calls++;
            if (answer.IsSuccess && answer.Text is string text)
            {
                episode.Advance(selection, prompt, text);
            }
            else
            {
                failed++;
            }
        }

        return new PersonalizedPrompt(prompt!, selection!, answer!, selections.MoveToImmutable(), calls, failed);
    }
}
