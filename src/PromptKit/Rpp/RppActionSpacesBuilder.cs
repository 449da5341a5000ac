namespace PromptKit;

/// <summary>Builds <see cref="RppActionSpaces"/>: starts from the defaults (<c>new RppActionSpacesBuilder()</c>) or from nothing (<see cref="Empty"/>).</summary>
/// <remarks>
/// <para>Each method checks its arguments at once and returns the same builder; <see cref="Build"/> checks the whole
/// composition and lists every problem. The builder is not thread-safe; the spaces it builds are.</para>
/// <code>
/// RppActionSpaces spaces = new RppActionSpacesBuilder()
///     .AddReasoningGuidance("Consider the directors the user likes.")
///     .WithMaxHistoryCount(20)
///     .Build();
/// </code>
/// </remarks>
public sealed class RppActionSpacesBuilder
{
    /// <summary>The default role-playing sentences; the first, empty, means "no role".</summary>
    internal static readonly string[] DefaultRolePlaying =
    [
        "",
        "You are a movie recommender system that ranks movies for each user.",
        "You are a film critic who knows every genre and era of cinema.",
        "You are a helpful assistant.",
        "You are a close friend of the user who knows their movie taste well.",
    ];

    /// <summary>The default reasoning-guidance sentences: the strategies a recommender expert would list — content
    /// (genres), sequential (recent taste), rating-aware, step-by-step, pairwise comparison, popularity, era, diversity,
    /// holistic, and collaborative ("people who liked what this user liked").</summary>
    internal static readonly string[] DefaultReasoningGuidance =
    [
        "Consider the genres of the movies in the history and prefer candidates of the same genres.",
        "Focus on the most recent movies in the history: they show the user's current taste.",
        "Pay attention to the ratings: rank candidates like the highly rated movies first and those like the low-rated ones last.",
        "Think step by step before you answer.",
        "Compare each candidate with every movie in the history.",
        "Prefer popular, well-known movies.",
        "Consider the release years of the movies the user watches.",
        "Recommend movies unlike the ones the user has seen, to broaden their taste.",
        "Consider the user's overall preferences.",
        "Think about what people who liked the same movies as this user also liked, and rank those candidates first.",
    ];

    /// <summary>The default output-format sentences; each is one that <see cref="RankingParser"/> reads.</summary>
    internal static readonly string[] DefaultOutputFormat =
    [
        "Answer with a numbered list of the candidate titles, best first, one per line, and nothing else.",
        "Answer with the candidate ids only (the ids in square brackets, not the list numbers), best first, separated by commas.",
        "Answer with a JSON array of the candidate ids (the ids in square brackets, as strings), best first, and nothing else.",
        "Answer with a numbered list, best first: each line gives the candidate's title and a one-line reason.",
        "Answer with one line per candidate, best first, written as \"[id] Title\".",
    ];

    private const int DefaultInitialHistoryCount = 3;
    private const int DefaultMaxHistoryCount = 15;

    private readonly List<string> _rolePlaying;
    private readonly List<HistoryRecordsAction> _historyRecords;
    private readonly List<string> _reasoningGuidance;
    private readonly List<string> _outputFormat;
    private int _initialHistoryCount;
    private int _maxHistoryCount;

    /// <summary>Initializes a new instance of the <see cref="RppActionSpacesBuilder"/> class that starts from the default spaces (see <see cref="RppActionSpaces.Default"/>).</summary>
    public RppActionSpacesBuilder()
        : this(true)
    {
    }

    private RppActionSpacesBuilder(bool defaults)
    {
        _rolePlaying = defaults ? [.. DefaultRolePlaying] : [];
        _reasoningGuidance = defaults ? [.. DefaultReasoningGuidance] : [];
        _outputFormat = defaults ? [.. DefaultOutputFormat] : [];
        _historyRecords = [];
        if (defaults)
        {
            foreach (HistoryOrder order in (ReadOnlySpan<HistoryOrder>)[HistoryOrder.MostRecent, HistoryOrder.HighestRated])
            {
                foreach (bool ratings in (ReadOnlySpan<bool>)[true, false])
                {
                    for (int add = 0; add <= 2; add++)
                    {
                        _historyRecords.Add(new HistoryRecordsAction(add, ratings, order));
                    }
                }
            }
        }

        _initialHistoryCount = DefaultInitialHistoryCount;
        _maxHistoryCount = DefaultMaxHistoryCount;
    }

    /// <summary>Creates a builder with empty action spaces (history counts keep their defaults, 3 and 15).</summary>
    /// <returns>The builder.</returns>
    public static RppActionSpacesBuilder Empty() => new(false);

    /// <summary>Replaces the role-playing sentences.</summary>
    /// <param name="sentences">The sentences; one may be empty, meaning "no role".</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentences"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sentence is <see langword="null"/> or has a line break.</exception>
    public RppActionSpacesBuilder WithRolePlaying(IEnumerable<string> sentences) => Replace(_rolePlaying, sentences, allowEmpty: true, nameof(sentences));

    /// <summary>Adds a role-playing sentence.</summary>
    /// <param name="sentence">The sentence; empty means "no role".</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sentence"/> has a line break.</exception>
    public RppActionSpacesBuilder AddRolePlaying(string sentence) => Append(_rolePlaying, sentence, allowEmpty: true, nameof(sentence));

    /// <summary>Replaces the reasoning-guidance sentences.</summary>
    /// <param name="sentences">The sentences; one may be empty, meaning "no guidance".</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentences"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sentence is <see langword="null"/> or has a line break.</exception>
    public RppActionSpacesBuilder WithReasoningGuidance(IEnumerable<string> sentences) => Replace(_reasoningGuidance, sentences, allowEmpty: true, nameof(sentences));

    /// <summary>Adds a reasoning-guidance sentence.</summary>
    /// <param name="sentence">The sentence; empty means "no guidance".</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sentence"/> has a line break.</exception>
    public RppActionSpacesBuilder AddReasoningGuidance(string sentence) => Append(_reasoningGuidance, sentence, allowEmpty: true, nameof(sentence));

    /// <summary>Replaces the output-format sentences.</summary>
    /// <param name="sentences">The sentences; none may be empty.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentences"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A sentence is <see langword="null"/>, empty, white space or has a line break.</exception>
    public RppActionSpacesBuilder WithOutputFormat(IEnumerable<string> sentences) => Replace(_outputFormat, sentences, allowEmpty: false, nameof(sentences));

    /// <summary>Adds an output-format sentence.</summary>
    /// <param name="sentence">The sentence.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sentence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sentence"/> is empty, white space or has a line break.</exception>
    public RppActionSpacesBuilder AddOutputFormat(string sentence) => Append(_outputFormat, sentence, allowEmpty: false, nameof(sentence));

    /// <summary>Replaces the history-records actions.</summary>
    /// <param name="actions">The actions.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An action is <see langword="null"/>.</exception>
    public RppActionSpacesBuilder WithHistoryRecords(IEnumerable<HistoryRecordsAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        HistoryRecordsAction[] list = [.. actions];
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The action at index {i} is null.", nameof(actions));
            }
        }

        _historyRecords.Clear();
        _historyRecords.AddRange(list);
        return this;
    }

    /// <summary>Adds a history-records action.</summary>
    /// <param name="action">The action.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is <see langword="null"/>.</exception>
    public RppActionSpacesBuilder AddHistoryRecords(HistoryRecordsAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _historyRecords.Add(action);
        return this;
    }

    /// <summary>Sets the number of history items shown at the first step.</summary>
    /// <param name="count">The count, 0 or more; at most the maximum (checked by <see cref="Build"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public RppActionSpacesBuilder WithInitialHistoryCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _initialHistoryCount = count;
        return this;
    }

    /// <summary>Sets the largest number of history items a prompt shows.</summary>
    /// <param name="count">The count, 1 or more.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public RppActionSpacesBuilder WithMaxHistoryCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _maxHistoryCount = count;
        return this;
    }

    /// <summary>Builds the action spaces.</summary>
    /// <returns>The immutable action spaces; later changes to the builder do not affect them.</returns>
    /// <exception cref="InvalidOperationException">The composition is invalid (an empty space, a repeated sentence or action, or an initial history count above the maximum); the message lists every problem and how to fix it.</exception>
    public RppActionSpaces Build()
    {
        var problems = new List<string>();
        CheckSentences(_rolePlaying, RppPattern.RolePlaying, nameof(AddRolePlaying), problems);
        CheckSentences(_reasoningGuidance, RppPattern.ReasoningGuidance, nameof(AddReasoningGuidance), problems);
        CheckSentences(_outputFormat, RppPattern.OutputFormat, nameof(AddOutputFormat), problems);
        if (_historyRecords.Count == 0)
        {
            problems.Add($"The {RppPattern.HistoryRecords} space is empty. Call {nameof(AddHistoryRecords)} or {nameof(WithHistoryRecords)} with at least one action.");
        }

        for (int i = 0; i < _historyRecords.Count; i++)
        {
            int first = _historyRecords.IndexOf(_historyRecords[i]);
            if (first < i)
            {
                problems.Add($"The {RppPattern.HistoryRecords} action at index {i} ({_historyRecords[i]}) repeats the one at index {first}; remove one of them.");
            }
        }

        if (_initialHistoryCount > _maxHistoryCount)
        {
            problems.Add($"The initial history count ({_initialHistoryCount}) exceeds the maximum ({_maxHistoryCount}). Lower {nameof(WithInitialHistoryCount)} or raise {nameof(WithMaxHistoryCount)}.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{nameof(RppActionSpacesBuilder)} cannot build the action spaces: {string.Join(" ", problems)}");
        }

        return new RppActionSpaces([.. _rolePlaying], [.. _historyRecords], [.. _reasoningGuidance], [.. _outputFormat], _initialHistoryCount, _maxHistoryCount);
    }

    private static void CheckSentences(List<string> sentences, RppPattern pattern, string addMethod, List<string> problems)
    {
        if (sentences.Count == 0)
        {
            problems.Add($"The {pattern} space is empty. Call {addMethod} with at least one sentence.");
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sentences.Count; i++)
        {
            string key = sentences[i].Trim();
            if (!seen.TryAdd(key, i))
            {
                problems.Add($"The {pattern} sentence at index {i} ('{sentences[i]}') repeats the one at index {seen[key]}; remove one of them.");
            }
        }
    }

    private RppActionSpacesBuilder Replace(List<string> target, IEnumerable<string> sentences, bool allowEmpty, string paramName)
    {
        ArgumentNullException.ThrowIfNull(sentences, paramName);
        string[] list = [.. sentences];
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The sentence at index {i} is null.", paramName);
            }

            RppText.ThrowIfNotSentence(list[i], paramName, allowEmpty);
        }

        target.Clear();
        target.AddRange(list);
        return this;
    }

    private RppActionSpacesBuilder Append(List<string> target, string sentence, bool allowEmpty, string paramName)
    {
        RppText.ThrowIfNotSentence(sentence, paramName, allowEmpty);
        target.Add(sentence);
        return this;
    }
}
