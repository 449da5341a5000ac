namespace PromptKit;

/// <summary>A ranking metric that <see cref="RankingMetrics"/> computes from unsorted scores and grades.</summary>
public enum RankingMetric
{
    /// <summary>NDCG@k with the ideal ranking taken from the grades of the listed items (see <see cref="RankingMetrics.Ndcg(ReadOnlySpan{double}, int, NdcgGain)"/>).</summary>
    Ndcg = 0,

    /// <summary>DCG@k: the sum over ranks i = 1..k of gain_i / log2(i + 1), not normalized.</summary>
    Dcg = 1,

    /// <summary>1 / rank of the first relevant item within the top k, 0 when there is none (its mean over lists is MRR@k).</summary>
    ReciprocalRank = 2,

    /// <summary>Precision@k: relevant items in the top k divided by k (trec_eval's <c>P_k</c>).</summary>
    Precision = 3,

    /// <summary>Recall@k: relevant items in the top k divided by the relevant items in the list.</summary>
    Recall = 4,

    /// <summary>Hit@k: 1 when any of the top k items is relevant, else 0 (trec_eval's <c>success_k</c>).</summary>
    Hit = 5,

    /// <summary>
    /// Average precision over the top k: the sum of the precision at the rank of each relevant item in the top k,
    /// divided by the relevant items in the list. With no cutoff it is trec_eval's per-query <c>map</c>.
    /// </summary>
    AveragePrecision = 6,
}
