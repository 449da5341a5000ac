using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options for <see cref="RankingParser"/>.</summary>
public sealed class RankingParserOptions
{
    /// <summary>Gets or sets the longest answer, in characters, that is parsed; longer answers are truncated.</summary>
    /// <value>The default value is 65,536.</value>
    /// <remarks>
    /// Truncation bounds the work spent on runaway generations; <see cref="RankingParseResult.IsTruncated"/> reports it.
    /// </remarks>
    [Range(1, int.MaxValue)]
    public int MaxAnswerLength { get; set; } = 65_536;

    /// <summary>Gets or sets where candidates that the answer did not name are placed.</summary>
    /// <value>The default value is <see cref="OmittedCandidateOrder.Input"/>.</value>
    public OmittedCandidateOrder OmittedOrder { get; set; } = OmittedCandidateOrder.Input;

    /// <summary>Gets or sets the seed for <see cref="OmittedCandidateOrder.Shuffled"/>.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
