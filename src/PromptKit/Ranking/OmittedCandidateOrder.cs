namespace PromptKit;

/// <summary>Specifies where a <see cref="RankingParser"/> places the candidates that the answer did not name.</summary>
/// <remarks>
/// Omitted candidates always follow every candidate the answer named. Neither order looks at labels or relevance: only
/// the candidate list and, for <see cref="Shuffled"/>, the configured seed.
/// </remarks>
public enum OmittedCandidateOrder
{
    /// <summary>Omitted candidates follow in the order of the candidate list passed to the parser.</summary>
    /// <remarks>
    /// Use <see cref="Shuffled"/> when the candidate list order may correlate with relevance (for example when the
    /// ground-truth item is always listed first), so that unparsed answers cannot score above chance.
    /// </remarks>
    Input = 0,

    /// <summary>
    /// Omitted candidates follow in a pseudo-random order drawn from <see cref="RankingParserOptions.Seed"/>; the same
    /// answer and candidates always give the same ranking.
    /// </summary>
    Shuffled = 1,
}
