namespace PromptKit;

/// <summary>The ROUGE variants that <see cref="RougeMetric"/> computes, named as in Google's rouge-score.</summary>
/// <remarks>
/// ROUGE-N for other orders (rouge-score's <c>rouge3</c> … <c>rouge9</c>) is available through
/// <see cref="RougeMetric.ScoreNgrams(int, string, string)"/>.
/// </remarks>
public enum RougeType
{
    /// <summary>Unigram overlap (rouge-score <c>rouge1</c>).</summary>
    Rouge1,

    /// <summary>Bigram overlap (rouge-score <c>rouge2</c>).</summary>
    Rouge2,

    /// <summary>Longest common subsequence over the whole text, newlines ignored (rouge-score <c>rougeL</c>).</summary>
    RougeL,

    /// <summary>
    /// Summary-level LCS (rouge-score <c>rougeLsum</c>): the texts are split into sentences at <c>'\n'</c> and each
    /// reference sentence is matched against the union of its LCSs with every prediction sentence.
    /// </summary>
    RougeLsum,
}
