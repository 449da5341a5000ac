using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// sacrebleu-compatible BLEU (13a tokenizer, exponential smoothing) over 10,000 hypothesis/reference pairs of about
/// 30 tokens. Every method scores all pairs, so the table shows the time and allocation per pair.
/// </summary>
public class BleuBenchmark
{
    private const int Pairs = BenchmarkData.PairCount;

    private readonly BleuMetric _metric = new();
    private readonly BleuStatistics _statistics = new();
    private string[] _hypotheses = [];
    private string[] _references = [];
    private string[][] _referenceLists = [];
    private IReadOnlyList<IReadOnlyList<string?>> _referenceStreams = [];

    /// <summary>Builds the sentence pairs and the per-pair reference lists.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_hypotheses, _references) = BenchmarkData.SentencePairs(Pairs, BenchmarkData.TokensPerSentence);
        _referenceLists = new string[Pairs][];
        for (int i = 0; i < Pairs; i++)
        {
            _referenceLists[i] = [_references[i]];
        }

        _referenceStreams = [_references];
    }

    /// <summary>Sentence BLEU of each pair through <see cref="BleuMetric.ScoreValue(string, IReadOnlyList{string})"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public double SentenceScoreValue()
    {
        double sum = 0.0;
        for (int i = 0; i < _hypotheses.Length; i++)
        {
            sum += _metric.ScoreValue(_hypotheses[i], _referenceLists[i]);
        }

        return sum;
    }

    /// <summary>Sentence BLEU of each pair through the span overload (one reference).</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double SentenceScoreValueSpan()
    {
        double sum = 0.0;
        for (int i = 0; i < _hypotheses.Length; i++)
        {
            sum += _metric.ScoreValue(_hypotheses[i].AsSpan(), _references[i].AsSpan());
        }

        return sum;
    }

    /// <summary>Sentence BLEU of each pair as a full <see cref="BleuScore"/> (counts, precisions, brevity penalty).</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double SentenceScore()
    {
        double sum = 0.0;
        for (int i = 0; i < _hypotheses.Length; i++)
        {
            sum += _metric.Score(_hypotheses[i], _referenceLists[i]).Score;
        }

        return sum;
    }

    /// <summary>Corpus BLEU by accumulating each pair into reused <see cref="BleuStatistics"/>.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double CorpusAccumulate()
    {
        _statistics.Clear();
        for (int i = 0; i < _hypotheses.Length; i++)
        {
            _metric.Accumulate(_hypotheses[i], _referenceLists[i], _statistics);
        }

        return _metric.Score(_statistics).Score;
    }

    /// <summary>Corpus BLEU of all pairs in one <see cref="BleuMetric.ScoreCorpus"/> call.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double CorpusScore() => _metric.ScoreCorpus(_hypotheses, _referenceStreams).Score;
}
