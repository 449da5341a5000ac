using System.Collections.Immutable;

namespace PromptKit;

/// <summary>The action spaces of the four RPP pattern agents: the sentences (or history actions) each agent chooses from, and the history-count rule.</summary>
/// <remarks>
/// <para>Build custom spaces with <see cref="RppActionSpacesBuilder"/>; <see cref="Default"/> holds movie-recommendation
/// defaults: 5 role-playing sentences (one of them empty, meaning no role), 12 history-records actions (add 0, 1 or 2
/// items per step × with or without ratings × most recent or highest rated), 10 reasoning-guidance sentences and 5
/// output formats, with <see cref="InitialHistoryCount"/> 3 and <see cref="MaxHistoryCount"/> 15.</para>
/// <para>Every default output format is one that <see cref="RankingParser"/> reads. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class RppActionSpaces
{
    internal RppActionSpaces(
        ImmutableArray<string> rolePlaying,
        ImmutableArray<HistoryRecordsAction> historyRecords,
        ImmutableArray<string> reasoningGuidance,
        ImmutableArray<string> outputFormat,
        int initialHistoryCount,
        int maxHistoryCount)
    {
        RolePlaying = rolePlaying;
        HistoryRecords = historyRecords;
        ReasoningGuidance = reasoningGuidance;
        OutputFormat = outputFormat;
        InitialHistoryCount = initialHistoryCount;
        MaxHistoryCount = maxHistoryCount;
        ActionCounts = [rolePlaying.Length, historyRecords.Length, reasoningGuidance.Length, outputFormat.Length];
    }

    /// <summary>Gets the default action spaces for movie recommendation.</summary>
    public static RppActionSpaces Default { get; } = new RppActionSpacesBuilder().Build();

    /// <summary>Gets the role-playing sentences; an empty sentence means "no role".</summary>
    public ImmutableArray<string> RolePlaying { get; }

    /// <summary>Gets the history-records actions.</summary>
    public ImmutableArray<HistoryRecordsAction> HistoryRecords { get; }

    /// <summary>Gets the reasoning-guidance sentences.</summary>
    public ImmutableArray<string> ReasoningGuidance { get; }

    /// <summary>Gets the output-format sentences.</summary>
    public ImmutableArray<string> OutputFormat { get; }

    /// <summary>Gets the number of history items shown at the first step.</summary>
    public int InitialHistoryCount { get; }

    /// <summary>Gets the largest number of history items a prompt shows.</summary>
    public int MaxHistoryCount { get; }

    /// <summary>Gets the size of each action space, in the order of <see cref="RppPattern"/>: role playing, history records, reasoning guidance, output format.</summary>
    public ImmutableArray<int> ActionCounts { get; }

    /// <summary>Gets the size of one pattern's action space.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The number of actions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    public int GetActionCount(RppPattern pattern)
    {
        RppText.ThrowIfUndefined(pattern, nameof(pattern));
        return ActionCounts[(int)pattern];
    }

    /// <summary>Gets the sentence of one action: the role, reasoning or format sentence, or the history action's <see cref="HistoryRecordsAction.Description"/>.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="index">The action's index in that pattern's space.</param>
    /// <returns>The sentence; empty for a "no role" action.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value, or <paramref name="index"/> is outside the space.</exception>
    public string GetSentence(RppPattern pattern, int index)
    {
        int count = GetActionCount(pattern);
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Index {index} is outside the {pattern} space of {count} actions (0 to {count - 1}).");
        }

        return pattern switch
        {
            RppPattern.RolePlaying => RolePlaying[index],
            RppPattern.HistoryRecords => HistoryRecords[index].Description,
            RppPattern.ReasoningGuidance => ReasoningGuidance[index],
            _ => OutputFormat[index],
        };
    }
}
