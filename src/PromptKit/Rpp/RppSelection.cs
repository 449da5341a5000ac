using System.Globalization;

namespace PromptKit;

/// <summary>The four actions chosen for one RPP prompt (one index per pattern), with optional refined texts (RPP+).</summary>
/// <remarks>
/// <para>Indices are positions in the spaces of an <see cref="RppActionSpaces"/>; check them with <see cref="Validate"/>
/// (<see cref="RppPromptComposer.Compose"/> does). A refined text replaces the chosen sentence of its pattern when the
/// prompt is composed: RPP+ lets a model rewrite each chosen sentence (see <see cref="RppRefinement"/>).</para>
/// <para>Two selections are equal when the indices and refined texts are equal. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class RppSelection : IEquatable<RppSelection>
{
    /// <summary>The number of patterns, and so of indices.</summary>
    public const int PatternCount = 4;

    private readonly string?[] _refined;

    /// <summary>Initializes a new instance of the <see cref="RppSelection"/> class.</summary>
    /// <param name="rolePlaying">The index of the role-playing sentence.</param>
    /// <param name="historyRecords">The index of the history-records action.</param>
    /// <param name="reasoningGuidance">The index of the reasoning-guidance sentence.</param>
    /// <param name="outputFormat">The index of the output-format sentence.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative.</exception>
    public RppSelection(int rolePlaying, int historyRecords, int reasoningGuidance, int outputFormat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rolePlaying);
        ArgumentOutOfRangeException.ThrowIfNegative(historyRecords);
        ArgumentOutOfRangeException.ThrowIfNegative(reasoningGuidance);
        ArgumentOutOfRangeException.ThrowIfNegative(outputFormat);
        RolePlaying = rolePlaying;
        HistoryRecords = historyRecords;
        ReasoningGuidance = reasoningGuidance;
        OutputFormat = outputFormat;
        _refined = new string?[PatternCount];
    }

    /// <summary>Initializes a new instance of the <see cref="RppSelection"/> class from four indices in the order of <see cref="RppPattern"/> (for example the actions of the four agents).</summary>
    /// <param name="indices">Role playing, history records, reasoning guidance and output format, in that order.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> does not hold exactly four values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative.</exception>
    public RppSelection(ReadOnlySpan<int> indices)
        : this(CheckLength(indices)[0], indices[1], indices[2], indices[3])
    {
    }

    private RppSelection(RppSelection source, RppPattern pattern, string? text)
        : this(source.RolePlaying, source.HistoryRecords, source.ReasoningGuidance, source.OutputFormat)
    {
        source._refined.CopyTo(_refined, 0);
        _refined[(int)pattern] = text;
    }

    /// <summary>Gets the index of the role-playing sentence.</summary>
    public int RolePlaying { get; }

    /// <summary>Gets the index of the history-records action.</summary>
    public int HistoryRecords { get; }

    /// <summary>Gets the index of the reasoning-guidance sentence.</summary>
    public int ReasoningGuidance { get; }

    /// <summary>Gets the index of the output-format sentence.</summary>
    public int OutputFormat { get; }

    /// <summary>Gets the refined role-playing sentence, or <see langword="null"/> to use the chosen one.</summary>
    public string? RefinedRolePlaying => _refined[(int)RppPattern.RolePlaying];

    /// <summary>Gets the refined history-records description, or <see langword="null"/> to use the chosen action's.</summary>
    public string? RefinedHistoryRecords => _refined[(int)RppPattern.HistoryRecords];

    /// <summary>Gets the refined reasoning-guidance sentence, or <see langword="null"/> to use the chosen one.</summary>
    public string? RefinedReasoningGuidance => _refined[(int)RppPattern.ReasoningGuidance];

    /// <summary>Gets the refined output-format sentence, or <see langword="null"/> to use the chosen one.</summary>
    public string? RefinedOutputFormat => _refined[(int)RppPattern.OutputFormat];

    /// <summary>Gets the index chosen for a pattern.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    public int this[RppPattern pattern]
    {
        get
        {
            RppText.ThrowIfUndefined(pattern, nameof(pattern));
            return pattern switch
            {
                RppPattern.RolePlaying => RolePlaying,
                RppPattern.HistoryRecords => HistoryRecords,
                RppPattern.ReasoningGuidance => ReasoningGuidance,
                _ => OutputFormat,
            };
        }
    }

    /// <summary>Gets the refined text of a pattern.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The refined text, or <see langword="null"/> when the chosen sentence is used as it is.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    public string? GetRefinedText(RppPattern pattern)
    {
        RppText.ThrowIfUndefined(pattern, nameof(pattern));
        return _refined[(int)pattern];
    }

    /// <summary>Returns a selection with the same indices in which <paramref name="text"/> replaces the chosen sentence of <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="text">The refined sentence, or <see langword="null"/> to go back to the chosen one.</param>
    /// <returns>The new selection; this one is unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty, white space or has a line break.</exception>
    public RppSelection WithRefinedText(RppPattern pattern, string? text)
    {
        RppText.ThrowIfUndefined(pattern, nameof(pattern));
        if (text is not null)
        {
            RppText.ThrowIfNotSentence(text, nameof(text), allowEmpty: false);
        }

        return new RppSelection(this, pattern, text);
    }

    /// <summary>Writes the four indices, in the order of <see cref="RppPattern"/>, into <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination; at least four long.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than four.</exception>
    public void CopyTo(Span<int> destination)
    {
        if (destination.Length < PatternCount)
        {
            throw new ArgumentException($"Destination length {destination.Length} is shorter than {PatternCount}.", nameof(destination));
        }

        destination[0] = RolePlaying;
        destination[1] = HistoryRecords;
        destination[2] = ReasoningGuidance;
        destination[3] = OutputFormat;
    }

    /// <summary>Checks that every index lies inside its space of <paramref name="spaces"/>.</summary>
    /// <param name="spaces">The action spaces.</param>
    /// <exception cref="ArgumentNullException"><paramref name="spaces"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An index is outside its space; the message names every such pattern.</exception>
    public void Validate(RppActionSpaces spaces)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        ThrowIfInvalid(spaces, nameof(spaces));
    }

    /// <summary>Checks the indices against <paramref name="spaces"/>, naming <paramref name="paramName"/> in the exception.</summary>
    internal void ThrowIfInvalid(RppActionSpaces spaces, string paramName)
    {
        List<string>? problems = null;
        for (int p = 0; p < PatternCount; p++)
        {
            var pattern = (RppPattern)p;
            int index = this[pattern];
            int count = spaces.ActionCounts[p];
            if (index >= count)
            {
                (problems ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{pattern} index {index} is outside its space of {count} actions (0 to {count - 1})."));
            }
        }

        if (problems is not null)
        {
            throw new ArgumentException($"The selection does not fit the action spaces: {string.Join(" ", problems)}", paramName);
        }
    }

    /// <inheritdoc/>
    public bool Equals(RppSelection? other)
    {
        if (other is null || other.RolePlaying != RolePlaying || other.HistoryRecords != HistoryRecords
            || other.ReasoningGuidance != ReasoningGuidance || other.OutputFormat != OutputFormat)
        {
            return false;
        }

        for (int p = 0; p < PatternCount; p++)
        {
            if (!string.Equals(_refined[p], other._refined[p], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RppSelection);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(RolePlaying);
        hash.Add(HistoryRecords);
        hash.Add(ReasoningGuidance);
        hash.Add(OutputFormat);
        foreach (string? text in _refined)
        {
            hash.Add(text, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        int refined = 0;
        foreach (string? text in _refined)
        {
            refined += text is null ? 0 : 1;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"RP={RolePlaying} HR={HistoryRecords} RG={ReasoningGuidance} OF={OutputFormat}{(refined > 0 ? $" ({refined} refined)" : string.Empty)}");
    }

    private static ReadOnlySpan<int> CheckLength(ReadOnlySpan<int> indices)
    {
        if (indices.Length != PatternCount)
        {
            throw new ArgumentException($"Got {indices.Length} indices; pass exactly {PatternCount}, in the order RolePlaying, HistoryRecords, ReasoningGuidance, OutputFormat.", nameof(indices));
        }

        return indices;
    }
}
