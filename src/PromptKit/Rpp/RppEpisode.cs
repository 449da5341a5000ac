using System.Collections.Immutable;

namespace PromptKit;

/// <summary>One user's RPP episode: the prompt state that the four pattern agents' choices build up over iterations.</summary>
/// <remarks>
/// <para>At each iteration the agents choose an <see cref="RppSelection"/>; <see cref="Compose"/> turns it into the
/// iteration's prompt (the history action first updates how many history items are shown); the model answers, and
/// <see cref="Advance"/> records the prompt text and the ranking the answer gives (parsed by <see cref="RankingParser"/>
/// over the candidates, never looking at which one is relevant). The training environment and
/// <see cref="PromptPersonalizer"/> both drive episodes through this type, so training and inference see the same
/// states.</para>
/// <para>Not thread-safe: one episode belongs to one caller.</para>
/// </remarks>
public sealed class RppEpisode
{
    private readonly RppPromptComposer _composer;
    private readonly RankingParser _parser;
    private ItemFeatureEncoder? _userFeaturesEncoder;
    private float[]? _userFeatures;

    /// <summary>Initializes a new instance of the <see cref="RppEpisode"/> class at the first iteration.</summary>
    /// <param name="example">The user's example (history and candidates).</param>
    /// <param name="composer">Builds prompts from selections.</param>
    /// <param name="parser">Parses answers into rankings, or <see langword="null"/> for the default parser.</param>
    /// <exception cref="ArgumentNullException"><paramref name="example"/> or <paramref name="composer"/> is <see langword="null"/>.</exception>
    public RppEpisode(RecommendationExample example, RppPromptComposer composer, RankingParser? parser = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(composer);
        Example = example;
        _composer = composer;
        _parser = parser ?? new RankingParser();
        HistoryCount = Math.Min(composer.Spaces.InitialHistoryCount, example.History.Length);
    }

    /// <summary>Gets the user's example.</summary>
    public RecommendationExample Example { get; }

    /// <summary>Gets the number of finished iterations.</summary>
    public int Iteration { get; private set; }

    /// <summary>Gets the number of history items the last prompt showed (the initial count before the first iteration).</summary>
    public int HistoryCount { get; private set; }

    /// <summary>Gets the text of the last prompt, or <see langword="null"/> before the first iteration.</summary>
    public string? LastPromptText { get; private set; }

    /// <summary>Gets the ranking (candidate indices, best first) the last answer gave, or default before the first iteration.</summary>
    public ImmutableArray<int> LastRanking { get; private set; }

    /// <summary>Gets a value indicating whether the last answer named no candidate.</summary>
    public bool LastAnswerUnparsed { get; private set; }

    /// <summary>Gets the last selection, or <see langword="null"/> before the first iteration.</summary>
    public RppSelection? LastSelection { get; private set; }

    /// <summary>Builds the prompt a selection makes at this iteration.</summary>
    /// <param name="selection">The four agents' choices (with refined texts for RPP+).</param>
    /// <returns>The prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is <see langword="null"/>.</exception>
    public Prompt Compose(RppSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return _composer.Compose(Example, selection, NextHistoryCount(selection));
    }

    /// <summary>Gets the context RPP+ refines a selection's sentences for: the history lines the prompt that
    /// <see cref="Compose"/> builds for the selection will show (none when it shows no history).</summary>
    /// <param name="selection">The four agents' choices.</param>
    /// <returns>The lines, as the prompt writes them before escaping.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="selection"/> does not fit the composer's action spaces.</exception>
    public IReadOnlyList<string> GetRefinementContext(RppSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        int count = NextHistoryCount(selection);
        return RppPromptComposer.HistoryRecords(Example, _composer.Spaces.HistoryRecords[selection.HistoryRecords], count);
    }

    /// <summary>Records an iteration: the selection, its prompt and the model's answer.</summary>
    /// <param name="selection">The selection that made the prompt.</param>
    /// <param name="prompt">The prompt <see cref="Compose"/> returned for it.</param>
    /// <param name="answer">The model's answer.</param>
    /// <returns>The parsed ranking.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RankingParseResult Advance(RppSelection selection, Prompt prompt, string answer)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(answer);
        RankingParseResult parse = _parser.Parse(answer, Example.RankingTarget.Candidates);
        HistoryCount = NextHistoryCount(selection);
        LastPromptText = _composer.Render(prompt);
        LastRanking = parse.Ranking;
        LastAnswerUnparsed = parse.IsParseFailure;
        LastSelection = selection;
        Iteration++;
        return parse;
    }

    /// <summary>Writes the episode's progress (not the example, which the reader supplies again).</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Iteration);
        writer.Write(HistoryCount);
        writer.Write(LastPromptText ?? string.Empty);
        writer.Write(LastPromptText is not null);
        writer.Write(LastAnswerUnparsed);
        writer.Write(LastRanking.IsDefault ? -1 : LastRanking.Length);
        if (!LastRanking.IsDefault)
        {
            foreach (int index in LastRanking)
            {
                writer.Write(index);
            }
        }

        Span<int> indices = stackalloc int[4];
        writer.Write(LastSelection is not null);
        if (LastSelection is not null)
        {
            LastSelection.CopyTo(indices);
            foreach (int index in indices)
            {
                writer.Write(index);
            }
        }
    }

    /// <summary>Restores an episode's progress written by <see cref="WriteState"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The state does not fit this episode's example.</exception>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int iteration = reader.ReadInt32();
        int historyCount = reader.ReadInt32();
        string text = reader.ReadString();
        bool hasText = reader.ReadBoolean();
        bool unparsed = reader.ReadBoolean();
        int length = reader.ReadInt32();
        ImmutableArray<int> ranking = default;
        if (length >= 0)
        {
            var builder = ImmutableArray.CreateBuilder<int>(length);
            for (int i = 0; i < length; i++)
            {
                int index = reader.ReadInt32();
                if ((uint)index >= (uint)Example.Candidates.Length)
                {
                    throw new InvalidDataException($"Ranked candidate index {index} is outside this user's {Example.Candidates.Length} candidates.");
                }

                builder.Add(index);
            }

            ranking = builder.MoveToImmutable();
        }

        RppSelection? selection = null;
        if (reader.ReadBoolean())
        {
            Span<int> indices = stackalloc int[4];
            for (int i = 0; i < 4; i++)
            {
                indices[i] = reader.ReadInt32();
            }

            selection = new RppSelection(indices);
        }

        if (iteration < 0 || historyCount < 0 || historyCount > Example.History.Length)
        {
            throw new InvalidDataException($"The saved episode (iteration {iteration}, history count {historyCount}) does not fit this user's {Example.History.Length} history items.");
        }

        Iteration = iteration;
        HistoryCount = historyCount;
        LastPromptText = hasText ? text : null;
        LastAnswerUnparsed = unparsed;
        LastRanking = ranking;
        LastSelection = selection;
    }

    /// <summary>The user's feature vector under an encoder, computed once per episode: the history never changes, and
    /// <see cref="RppStateEncoder"/> reads it at every iteration.</summary>
    internal ReadOnlySpan<float> UserFeatures(ItemFeatureEncoder items)
    {
        if (_userFeatures is not null && ReferenceEquals(_userFeaturesEncoder, items))
        {
            return _userFeatures;
        }

        var features = new float[items.UserDimension];
        items.EncodeUser(Example.History, features);
        (_userFeatures, _userFeaturesEncoder) = (features, items);
        return features;
    }

    private int NextHistoryCount(RppSelection selection) =>
        Math.Min(_composer.NextHistoryCount(HistoryCount, selection), Example.History.Length);
}
