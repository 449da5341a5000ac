using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// rouge-score-compatible ROUGE over 10,000 reference/prediction pairs of about 30 tokens, with and without Porter
/// stemming. Every method scores all pairs, so the table shows the time and allocation per pair.
/// </summary>
public class RougeBenchmark
{
    private const int Pairs = BenchmarkData.PairCount;

    private RougeMetric _metric = new();
    private string[] _predictions = [];
    private string[] _references = [];

    /// <summary>Gets or sets a value indicating whether tokens are Porter-stemmed (rouge-score's <c>use_stemmer</c>).</summary>
    [Params(false, true)]
    public bool UseStemmer { get; set; }

    /// <summary>Builds the sentence pairs and a metric computing ROUGE-1, ROUGE-2 and ROUGE-L.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_predictions, _references) = BenchmarkData.SentencePairs(Pairs, BenchmarkData.TokensPerSentence);
        _metric = new RougeMetric(new RougeOptions
        {
            UseStemmer = UseStemmer,
            Types = [RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL],
        });
    }

    /// <summary>ROUGE-1 of each pair through the single-type overload.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public double Rouge1()
    {
        double sum = 0.0;
        for (int i = 0; i < _predictions.Length; i++)
        {
            sum += _metric.Score(RougeType.Rouge1, _references[i], _predictions[i]).FMeasure;
        }

        return sum;
    }

    /// <summary>ROUGE-L (longest common subsequence) of each pair through the single-type overload.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double RougeL()
    {
        double sum = 0.0;
        for (int i = 0; i < _predictions.Length; i++)
        {
            sum += _metric.Score(RougeType.RougeL, _references[i], _predictions[i]).FMeasure;
        }

        return sum;
    }

    /// <summary>ROUGE-1, ROUGE-2 and ROUGE-L of each pair in one call returning a <see cref="RougeResult"/>.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double Rouge12L()
    {
        double sum = 0.0;
        for (int i = 0; i < _predictions.Length; i++)
        {
            RougeResult result = _metric.Score(_references[i], _predictions[i]);
            sum += result[RougeType.Rouge1].FMeasure + result[RougeType.Rouge2].FMeasure + result[RougeType.RougeL].FMeasure;
        }

        return sum;
    }
}
