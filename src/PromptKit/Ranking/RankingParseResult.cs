using System.Collections.Immutable;

namespace PromptKit;

/// <summary>The ranking a <see cref="RankingParser"/> read from a language model's answer.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RankingParseResult
{
    internal RankingParseResult(
        ImmutableArray<int> ranking, int matchedCount, ImmutableArray<string> unknownItems, int duplicateCount, bool isTruncated)
    {
        Ranking = ranking;
        MatchedCount = matchedCount;
        UnknownItems = unknownItems;
        DuplicateCount = duplicateCount;
        IsTruncated = isTruncated;
    }

    /// <summary>
    /// Gets the complete ranking as indices into the candidate list, best first: every candidate exactly once.
    /// </summary>
    /// <remarks>
    /// The first <see cref="MatchedCount"/> entries are the candidates the answer named, in the answer's order; the rest
    /// are the omitted candidates in the configured <see cref="RankingParserOptions.OmittedOrder"/>.
    /// </remarks>
    public ImmutableArray<int> Ranking { get; }

    /// <summary>Gets the number of distinct candidates the answer named.</summary>
    public int MatchedCount { get; }

    /// <summary>Gets the omitted-candidate count: candidates the answer did not name, appended at the end.</summary>
    public int OmittedCount => Ranking.Length - MatchedCount;

    /// <summary>Gets the items the answer listed that match no candidate (hallucinated or mistyped items), as written.</summary>
    public ImmutableArray<string> UnknownItems { get; }

    /// <summary>Gets the number of times the answer named a candidate it had already named (only the first counts).</summary>
    public int DuplicateCount { get; }

    /// <summary>Gets a value indicating whether the answer was longer than <see cref="RankingParserOptions.MaxAnswerLength"/> and only its beginning was parsed.</summary>
    public bool IsTruncated { get; }

    /// <summary>Gets a value indicating whether the answer named no candidate at all.</summary>
    public bool IsParseFailure => MatchedCount == 0;

    /// <summary>Gets a summary of how much of the ranking came from the answer.</summary>
    public RankingParseStatus Status =>
        MatchedCount == 0 ? RankingParseStatus.Failed
        : MatchedCount == Ranking.Length ? RankingParseStatus.Complete
        : RankingParseStatus.Partial;
}
