using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// sacrebleu-compatible BLEU (13a tokenizer, exponential smoothing) over 10,000 hypothesis/reference pairs of about
/// 30 tokens. Every method scores all pairs, so the table shows the time and allocation per pair.
/// </summary>
public class BleuBenchmark : SentencePairBenchmark
{
    private readonly BleuMetric _metric = new();
    private readonly BleuStatistics _statistics = new();

    /// <summary>Sentence BLEU of each pair through <see cref="BleuMetric.ScoreValue(string, IReadOnlyList{string})"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public double SentenceScoreValue()
    {
        double sum = 0.0;
        for (int i = 0; i < Hypotheses.Length; i++)
        {
            sum += _metric.ScoreValue(Hypotheses[i], ReferenceLists[i]);
        }

        return sum;
    }

    /// <summary>Sentence BLEU of each pair through the span overload (one reference).</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double SentenceScoreValueSpan()
    {
        double sum = 0.0;
        for (int i = 0; i < Hypotheses.Length; i++)
        {
            sum += _metric.ScoreValue(Hypotheses[i].AsSpan(), References[i].AsSpan());
        }

        return sum;
    }

    /// <summary>Sentence BLEU of each pair as a full <see cref="BleuScore"/> (counts, precisions, brevity penalty).</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double SentenceScore()
    {
        double sum = 0.0;
        for (int i = 0; i < Hypotheses.Length; i++)
        {
            sum += _metric.Score(Hypotheses[i], ReferenceLists[i]).Score;
        }

        return sum;
    }

    /// <summary>Corpus BLEU by accumulating each pair into reused <see cref="BleuStatistics"/>.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double CorpusAccumulate()
    {
        _statistics.Clear();
        for (int i = 0; i < Hypotheses.Length; i++)
        {
            _metric.Accumulate(Hypotheses[i], ReferenceLists[i], _statistics);
        }

        return _metric.Score(_statistics).Score;
    }

    /// <summary>Corpus BLEU of all pairs in one <see cref="BleuMetric.ScoreCorpus"/> call.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double CorpusScore() => _metric.ScoreCorpus(Hypotheses, ReferenceStreams).Score;
}
