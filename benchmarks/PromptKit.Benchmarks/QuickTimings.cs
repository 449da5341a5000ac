using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;

namespace PromptKit.Benchmarks;

/// <summary>
/// Stopwatch timings of the cases <c>benchmarks/python/bench_reference.py</c> times in Python, on the same inputs, so
/// that the script can run both back to back and print ratios measured in one run. Invoked with
/// <c>--timings [REPEAT]</c>; prints one line per case: <c>name best_us median_us unit checksum</c>.
/// </summary>
/// <remarks>
/// Each case runs once untimed (warm-up, JIT tiering), then REPEAT times (default 5). BenchmarkDotNet gives the
/// careful per-method tables; this mode exists so the comparison with the references is made under the same load.
/// </remarks>
internal static class QuickTimings
{
    public const string Switch = "--timings";

    public static void Run(int repeat)
    {
        (string[] hypotheses, string[] references) = BenchmarkData.SentencePairs(BenchmarkData.PairCount, BenchmarkData.TokensPerSentence);
        (double[] scores, double[] relevances) = BenchmarkData.RankingLists(BenchmarkData.ListCount, BenchmarkData.ListLength);
        int pairs = hypotheses.Length;
        int lists = BenchmarkData.ListCount;
        int length = BenchmarkData.ListLength;
        var referenceLists = new string[pairs][];
        for (int i = 0; i < pairs; i++)
        {
            referenceLists[i] = [references[i]];
        }

        IReadOnlyList<IReadOnlyList<string?>> streams = [references];
        var sentenceOptions = new BleuOptions { EffectiveOrder = true }; // sacrebleu.sentence_bleu's settings
        var sentenceBleu = new BleuMetric(sentenceOptions);
        var corpusBleu = new BleuMetric();
        var chrf = new ChrfMetric();
        RougeType[] types = [RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL];
        var rouge = new RougeMetric(new RougeOptions { Types = [.. types] });
        var rougeStemmed = new RougeMetric(new RougeOptions { Types = [.. types], UseStemmer = true });
        var destination = new double[lists];

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# dotnet {Environment.Version}, {Environment.ProcessorCount} processors, repeat {repeat}, loadavg {LoadAverage()}"));

        Time("bleu-sentence", "pair", pairs, repeat, () =>
        {
            double sum = 0.0;
            for (int i = 0; i < pairs; i++)
            {
                sum += sentenceBleu.ScoreValue(hypotheses[i], referenceLists[i]);
            }

            return sum;
        });
        Time("bleu-sentence-score", "pair", pairs, repeat, () =>
        {
            double sum = 0.0;
            for (int i = 0; i < pairs; i++)
            {
                sum += sentenceBleu.Score(hypotheses[i], referenceLists[i]).Score;
            }

            return sum;
        });
        Time("bleu-sentence-new-metric", "pair", pairs, repeat, () =>
        {
            double sum = 0.0;
            for (int i = 0; i < pairs; i++)
            {
                sum += new BleuMetric(sentenceOptions).Score(hypotheses[i], [references[i]]).Score;
            }

            return sum;
        });
        Time("bleu-corpus", "pair", pairs, repeat, () => corpusBleu.ScoreCorpus(hypotheses, streams).Score);
        Time("bleu-corpus-all-cores", "pair", pairs, repeat, () => corpusBleu.ScoreCorpus(hypotheses, streams, -1).Score);
        Time("chrf-sentence", "pair", pairs, repeat, () =>
        {
            double sum = 0.0;
            for (int i = 0; i < pairs; i++)
            {
                sum += chrf.ScoreValue(hypotheses[i], referenceLists[i]);
            }

            return sum;
        });
        Time("chrf-corpus", "pair", pairs, repeat, () => chrf.ScoreCorpus(hypotheses, streams).Score);
        Time("chrf-corpus-all-cores", "pair", pairs, repeat, () => chrf.ScoreCorpus(hypotheses, streams, -1).Score);
        foreach ((string name, RougeMetric metric) in new[] { ("rouge", rouge), ("rouge-stemmed", rougeStemmed) })
        {
            Time(name, "pair", pairs, repeat, () =>
            {
                double sum = 0.0;
                for (int i = 0; i < pairs; i++)
                {
                    RougeResult result = metric.Score(references[i], hypotheses[i]);
                    sum += result[RougeType.Rouge1].FMeasure + result[RougeType.Rouge2].FMeasure + result[RougeType.RougeL].FMeasure;
                }

                return sum;
            });
            foreach ((string suffix, int threads) in new[] { ("-corpus", 1), ("-corpus-all-cores", -1) })
            {
                Time(name + suffix, "pair", pairs, repeat, () =>
                {
                    RougeResult means = metric.ScoreCorpus(references, hypotheses, threads);
                    return (means[RougeType.Rouge1].FMeasure + means[RougeType.Rouge2].FMeasure + means[RougeType.RougeL].FMeasure) * pairs;
                });
            }
        }

        foreach (NdcgGain gain in new[] { NdcgGain.Linear, NdcgGain.Exponential })
        {
            string suffix = gain == NdcgGain.Linear ? "linear" : "exp";
            foreach ((string rule, RankingTies ties) in new[] { ("item-order", RankingTies.ItemOrder), ("ties", RankingTies.Average) })
            {
                Time($"ndcg10-{rule}-{suffix}", "list", lists, repeat, () =>
                {
                    RankingMetrics.FromScores(RankingMetric.Ndcg, scores, relevances, length, 10, destination, ties, gain);
                    return Mean(destination);
                });
                Time($"ndcg10-{rule}-{suffix}-all-cores", "list", lists, repeat, () =>
                {
                    RankingMetrics.FromScores(RankingMetric.Ndcg, scores, relevances, length, 10, destination, ties, gain, maxDegreeOfParallelism: -1);
                    return Mean(destination);
                });
            }
        }

        // Parts of the cost: the ranked-list NDCG (ideal + DCG, no selection) and Hit@10 from scores (selection only).
        double[] ranked = BenchmarkData.RankByScore(scores, relevances, length);
        Time("ndcg10-presorted-linear", "list", lists, repeat, () =>
        {
            double sum = 0.0;
            for (int i = 0; i < lists; i++)
            {
                sum += RankingMetrics.Ndcg(ranked.AsSpan(i * length, length), 10);
            }

            return sum / lists;
        });
        Time("hit10-item-order", "list", lists, repeat, () =>
        {
            RankingMetrics.FromScores(RankingMetric.Hit, scores, relevances, length, 10, destination);
            return Mean(destination);
        });

        // The physical limit: reading the scores and grades once (what any NDCG@k must touch), one core and all cores.
        Time("read-ranking-inputs", "list", lists, repeat, () => TensorPrimitives.Sum(scores) + TensorPrimitives.Sum(relevances));
        Time("read-ranking-inputs-all-cores", "list", lists, repeat, () =>
        {
            int chunks = Environment.ProcessorCount;
            var partial = new double[chunks];
            Parallel.For(0, chunks, c =>
            {
                int start = (int)((long)scores.Length * c / chunks);
                int end = (int)((long)scores.Length * (c + 1) / chunks);
                partial[c] = TensorPrimitives.Sum(scores.AsSpan(start, end - start)) + TensorPrimitives.Sum(relevances.AsSpan(start, end - start));
            });
            return partial.Sum();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# bytes per list {2 * length * sizeof(double)}, loadavg {LoadAverage()}"));
    }

    private static double Mean(double[] values) => TensorPrimitives.Sum(values) / values.Length;

    private static void Time(string name, string unit, int units, int repeat, Func<double> run)
    {
        string? filter = Environment.GetEnvironmentVariable("PK_TIMINGS_FILTER");
        if (!string.IsNullOrEmpty(filter) && !name.Contains(filter, StringComparison.Ordinal))
        {
            return;
        }

        double checksum = run();
        var times = new double[repeat];
        var cpuTimes = new double[repeat];
        for (int r = 0; r < repeat; r++)
        {
            long cpuStart = ThreadCpuNanoseconds();
            long start = Stopwatch.GetTimestamp();
            checksum = run();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / units;
            cpuTimes[r] = (ThreadCpuNanoseconds() - cpuStart) / 1000.0 / units;
        }

        Array.Sort(times);
        Array.Sort(cpuTimes);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name} {times[0]:F4} {times[repeat / 2]:F4} {unit} {checksum:R} {cpuTimes[0]:F4}"));
    }

    // The calling thread's time on a CPU (Linux /proc/thread-self/schedstat, nanoseconds): unlike wall time it does
    // not count the time other processes on a shared machine held the cores. It does not count other threads either,
    // so it is only meaningful for the one-thread cases; -1 where the file is missing.
    private static long ThreadCpuNanoseconds()
    {
        try
        {
            string text = File.ReadAllText("/proc/thread-self/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
