namespace PromptKit;

/// <summary>Summarizes how much of a ranking a <see cref="RankingParser"/> could read from an answer.</summary>
public enum RankingParseStatus
{
    /// <summary>The answer named no candidate; the ranking consists of omitted candidates only.</summary>
    Failed = 0,

    /// <summary>The answer named some but not all candidates; the others were appended as omitted candidates.</summary>
    Partial = 1,

    /// <summary>The answer named every candidate.</summary>
    Complete = 2,
}
