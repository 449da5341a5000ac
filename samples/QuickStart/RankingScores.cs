using System.Collections.Immutable;

namespace PromptKit.Samples.QuickStart;

/// <summary>NDCG@1/5/10 and HitRate@1/3 of rankings with one relevant item, averaged over users.</summary>
internal sealed class RankingScores
{
    private readonly List<int> _positions = [];
    private double[]? _fixedMeans;

    /// <summary>Averages several score sets (same users) metric by metric.</summary>
    public static RankingScores Mean(IReadOnlyList<RankingScores> all)
    {
        var mean = new RankingScores { _fixedMeans = new double[5] };
        foreach (RankingScores s in all)
        {
            mean._fixedMeans[0] += s.Ndcg(1) / all.Count;
            mean._fixedMeans[1] += s.Ndcg(5) / all.Count;
            mean._fixedMeans[2] += s.Ndcg(10) / all.Count;
            mean._fixedMeans[3] += s.HitRate(1) / all.Count;
            mean._fixedMeans[4] += s.HitRate(3) / all.Count;
        }

        return mean;
    }

    public int Users => _positions.Count;

    public int Unparsed { get; private set; }

    /// <summary>Adds a user: the ranking (candidate indices, best first) and the held-out item's index.</summary>
    public void Add(ImmutableArray<int> ranking, int targetIndex, bool unparsed = false)
    {
        int position = ranking.IsDefault ? -1 : ranking.IndexOf(targetIndex);
        _positions.Add(position < 0 ? int.MaxValue : position);
        Unparsed += unparsed ? 1 : 0;
    }

    public double Ndcg(int k) => _fixedMeans is { } m ? m[k switch { 1 => 0, 5 => 1, _ => 2 }] : Mean(p => p < k ? 1.0 / Math.Log2(p + 2) : 0.0);

    public double HitRate(int k) => _fixedMeans is { } m ? m[k == 1 ? 3 : 4] : Mean(p => p < k ? 1.0 : 0.0);

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
