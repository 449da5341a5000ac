using System.Collections.Immutable;

namespace PromptKit.Samples.QuickStart;

/// <summary>The figures the quick start's table shows, for one user or averaged over users.</summary>
/// <param name="Ndcg1">NDCG@1.</param>
/// <param name="Ndcg5">NDCG@5.</param>
/// <param name="Ndcg10">NDCG@10.</param>
/// <param name="Hit1">Hit@1.</param>
/// <param name="Hit3">Hit@3.</param>
/// <param name="Unparsed">1 when the answer could not be read (scored 0, as in training), else 0; averaged, the rate.</param>
internal readonly record struct RankingSummary(double Ndcg1, double Ndcg5, double Ndcg10, double Hit1, double Hit3, double Unparsed = 0)
{
    /// <summary>Scores one ranking whose single relevant item is the held-out one, with <see cref="RankingMetrics"/>.</summary>
    /// <param name="ranking">Candidate indices, best first; default when the answer named no candidate (or never came):
    /// then every figure is 0, as training's reward is, and <see cref="Unparsed"/> is 1.</param>
    /// <param name="targetIndex">The held-out item's candidate index.</param>
    /// <returns>The user's figures.</returns>
    public static RankingSummary Of(ImmutableArray<int> ranking, int targetIndex)
    {
        if (ranking.IsDefault)
        {
            return new(0, 0, 0, 0, 0, Unparsed: 1);
        }

        ReadOnlySpan<int> order = ranking.AsSpan();
        Span<double> relevances = stackalloc double[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            relevances[i] = order[i] == targetIndex ? 1 : 0;
        }

        return new(
            RankingMetrics.Ndcg(relevances, 1),
            RankingMetrics.Ndcg(relevances, 5),
            RankingMetrics.Ndcg(relevances, 10),
            RankingMetrics.HitAt(relevances, 1),
            RankingMetrics.HitAt(relevances, 3));
    }

    /// <summary>Averages summaries metric by metric (0 for none).</summary>
    /// <param name="all">The summaries.</param>
    /// <returns>The mean summary.</returns>
    public static RankingSummary Mean(IReadOnlyList<RankingSummary> all)
    {
        if (all.Count == 0)
        {
            return default;
        }

        double n = all.Count;
        return new(all.Sum(s => s.Ndcg1) / n, all.Sum(s => s.Ndcg5) / n, all.Sum(s => s.Ndcg10) / n, all.Sum(s => s.Hit1) / n, all.Sum(s => s.Hit3) / n, all.Sum(s => s.Unparsed) / n);
    }
}
