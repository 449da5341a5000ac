using System.Collections.Immutable;

namespace PromptKit.Samples.QuickStart;

/// <summary>The five figures the quick start reports for a method over the test users.</summary>
internal readonly record struct RankingSummary(double Ndcg1, double Ndcg5, double Ndcg10, double Hit1, double Hit3)
{
    /// <summary>Averages several summaries metric by metric.</summary>
    public static RankingSummary Mean(IReadOnlyList<RankingSummary> all)
    {
        double n = all.Count;
        return new(all.Sum(s => s.Ndcg1) / n, all.Sum(s => s.Ndcg5) / n, all.Sum(s => s.Ndcg10) / n, all.Sum(s => s.Hit1) / n, all.Sum(s => s.Hit3) / n);
    }
}

/// <summary>NDCG@k and HitRate@k of rankings with one relevant item, averaged over users.</summary>
internal sealed class RankingScores
{
    private readonly List<int> _positions = [];

    public int Users => _positions.Count;

    public int Unparsed { get; private set; }

    /// <summary>NDCG@k of one ranking whose single relevant item is at <paramref name="position"/> (0-based; −1 when absent).</summary>
    public static double NdcgAt(int position, int k) => position >= 0 && position < k ? 1.0 / Math.Log2(position + 2) : 0.0;

    /// <summary>The 0-based position of the held-out item in a ranking, or −1.</summary>
    public static int PositionOf(ImmutableArray<int> ranking, int targetIndex) => ranking.IsDefault ? -1 : ranking.IndexOf(targetIndex);

    /// <summary>Adds a user: the ranking (candidate indices, best first) and the held-out item's index.</summary>
    public void Add(ImmutableArray<int> ranking, int targetIndex, bool unparsed = false)
    {
        _positions.Add(PositionOf(ranking, targetIndex));
        Unparsed += unparsed ? 1 : 0;
    }

    public double Ndcg(int k) => Mean(p => NdcgAt(p, k));

    public double HitRate(int k) => Mean(p => p >= 0 && p < k ? 1.0 : 0.0);

    public RankingSummary Summarize() => new(Ndcg(1), Ndcg(5), Ndcg(10), HitRate(1), HitRate(3));

    private double Mean(Func<int, double> score)
    {
        if (_positions.Count == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (int p in _positions)
        {
            sum += score(p);
        }

        return sum / _positions.Count;
    }
}
