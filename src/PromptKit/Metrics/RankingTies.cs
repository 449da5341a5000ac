namespace PromptKit;

/// <summary>How <see cref="RankingMetrics"/> ranks items whose scores are equal.</summary>
public enum RankingTies
{
    /// <summary>
    /// Tied items are ranked in item order (the earlier item first), as a stable sort by descending score would rank
    /// them. Defined for every <see cref="RankingMetric"/>.
    /// </summary>
    ItemOrder = 0,

    /// <summary>
    /// Every group of tied items gets the average gain of the group at each rank it occupies, as scikit-learn's
    /// <c>ndcg_score</c> and <c>dcg_score</c> with <c>ignore_ties=False</c>; the result does not depend on the order of
    /// tied items. Defined for <see cref="RankingMetric.Ndcg"/> and <see cref="RankingMetric.Dcg"/> only.
    /// </summary>
    Average = 1,
}
