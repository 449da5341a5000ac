using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// NDCG@10 over 100,000 ranked lists of 100 items with graded relevance 0 to 3. Every method scores all lists, so the
/// table shows the time and allocation per list.
/// </summary>
public class NdcgBenchmark
{
    private const int Lists = BenchmarkData.ListCount;
    private const int K = 10;

    private int _length;
    private double[] _scores = [];
    private double[] _relevances = [];
    private double[] _rankedRelevances = [];
    private double[] _destination = [];

    /// <summary>Gets or sets how a grade becomes a gain.</summary>
    [Params(NdcgGain.Linear, NdcgGain.Exponential)]
    public NdcgGain Gain { get; set; }

    /// <summary>Builds the lists: model scores, grades in item order, and the grades sorted by descending score.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _length = BenchmarkData.ListLength;
        (_scores, _relevances) = BenchmarkData.RankingLists(Lists, _length);
        _rankedRelevances = BenchmarkData.RankByScore(_scores, _relevances, _length);
        _destination = new double[Lists];
    }

    /// <summary>NDCG@10 of each list already in ranked order (trec_eval / scikit-learn <c>ignore_ties=True</c>).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Lists)]
    public double Ndcg()
    {
        double sum = 0.0;
        ReadOnlySpan<double> ranked = _rankedRelevances;
        for (int i = 0; i < Lists; i++)
        {
            sum += RankingMetrics.Ndcg(ranked.Slice(i * _length, _length), K, Gain);
        }

        return sum;
    }

    /// <summary>NDCG@10 of each list from unsorted scores with tie averaging (scikit-learn <c>ndcg_score</c> default).</summary>
    [Benchmark(OperationsPerInvoke = Lists)]
    public double NdcgWithTies()
    {
        double sum = 0.0;
        ReadOnlySpan<double> scores = _scores;
        ReadOnlySpan<double> relevances = _relevances;
        for (int i = 0; i < Lists; i++)
        {
            sum += RankingMetrics.NdcgWithTies(scores.Slice(i * _length, _length), relevances.Slice(i * _length, _length), K, Gain);
        }

        return sum;
    }

    /// <summary>NDCG@10 of each list from unsorted scores and grades, ties in item order, one batch call on one thread.</summary>
    [Benchmark(OperationsPerInvoke = Lists)]
    public double FromScoresBatch()
    {
        RankingMetrics.FromScores(RankingMetric.Ndcg, _scores, _relevances, _length, K, _destination, RankingTies.ItemOrder, Gain);
        return _destination[^1];
    }

    /// <summary>The same batch with scikit-learn's tie averaging, one thread.</summary>
    [Benchmark(OperationsPerInvoke = Lists)]
    public double FromScoresBatchTies()
    {
        RankingMetrics.FromScores(RankingMetric.Ndcg, _scores, _relevances, _length, K, _destination, RankingTies.Average, Gain);
        return _destination[^1];
    }

    /// <summary>The item-order batch on every core.</summary>
    [Benchmark(OperationsPerInvoke = Lists)]
    public double FromScoresBatchAllCores()
    {
        RankingMetrics.FromScores(RankingMetric.Ndcg, _scores, _relevances, _length, K, _destination, RankingTies.ItemOrder, Gain, maxDegreeOfParallelism: -1);
        return _destination[^1];
    }
}
