using BenchmarkDotNet.Attributes;

namespace PromptKit.Benchmarks;

/// <summary>
/// sacrebleu-compatible chrF (character 6-grams, beta 2) over 10,000 hypothesis/reference pairs of about 30 tokens.
/// Every method scores all pairs, so the table shows the time and allocation per pair.
/// </summary>
public class ChrfBenchmark : SentencePairBenchmark
{
    private readonly ChrfMetric _metric = new();
    private readonly ChrfStatistics _statistics = new();

    /// <summary>Sentence chrF of each pair through <see cref="ChrfMetric.ScoreValue(string, IReadOnlyList{string})"/>.</summary>
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

    /// <summary>Sentence chrF of each pair through the span overload (one reference).</summary>
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

    /// <summary>Sentence chrF of each pair as a <see cref="ChrfScore"/>.</summary>
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

    /// <summary>Corpus chrF by accumulating each pair into reused <see cref="ChrfStatistics"/>.</summary>
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

    /// <summary>Corpus chrF of all pairs in one <see cref="ChrfMetric.ScoreCorpus"/> call.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public double CorpusScore() => _metric.ScoreCorpus(Hypotheses, ReferenceStreams).Score;
}
