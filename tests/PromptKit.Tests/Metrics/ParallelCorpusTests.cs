namespace PromptKit.Tests.Metrics;

public sealed class ParallelCorpusTests
{
    private static readonly string[] Vocabulary =
    [
        "the", "model", "ranks", "prompts", "by", "reward", ",", "U.S.", "don't", "(", ")", "3.14", "generating",
        "generated", "rankings", "better", "answers", "é", "naïve", "data", "of", "a", "running", "runs", "über",
    ];

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-1)]
    public void BleuAndChrfScoreCorpus_SeveralThreads_BitIdenticalToOneThread(int threads)
    {
        (string[] hypotheses, string?[] first, string?[] second) = Corpus(new Random(1901), 700);
        IReadOnlyList<string?>[] streams = [first, second];
        var bleu = new BleuMetric();
        var chrf = new ChrfMetric(new ChrfOptions { WordOrder = 2 });

        BleuScore bleuOne = bleu.ScoreCorpus(hypotheses, streams);
        BleuScore bleuMany = bleu.ScoreCorpus(hypotheses, streams, threads);
        ChrfScore chrfOne = chrf.ScoreCorpus(hypotheses, streams);
        ChrfScore chrfMany = chrf.ScoreCorpus(hypotheses, streams, threads);

        bleuMany.Score.Should().Be(bleuOne.Score);
        bleuMany.Counts.Should().Equal(bleuOne.Counts);
        bleuMany.Totals.Should().Equal(bleuOne.Totals);
        bleuMany.SystemLength.Should().Be(bleuOne.SystemLength);
        bleuMany.ReferenceLength.Should().Be(bleuOne.ReferenceLength);
        chrfMany.Score.Should().Be(chrfOne.Score);
        bleuOne.Score.Should().BeGreaterThan(0.0);
        chrfOne.Score.Should().BeGreaterThan(0.0);

        var statistics = new BleuStatistics();
        for (int i = 0; i < hypotheses.Length; i++)
        {
            bleu.Accumulate(hypotheses[i], second[i] is null ? [first[i]!] : [first[i]!, second[i]!], statistics);
        }

        bleu.Score(statistics).Score.Should().Be(bleuOne.Score, "the one-thread corpus score is the sum of segment statistics");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RougeScoreCorpus_SeveralThreads_BitIdenticalToOneThreadAndMeanOfPairs(bool stem)
    {
        (string[] predictions, string?[] references, _) = Corpus(new Random(1902), 500);
        string[] targets = references.Select(r => r!).ToArray();
        var metric = new RougeMetric(new RougeOptions { UseStemmer = stem, Types = [RougeType.RougeLsum, RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL] });

        RougeResult one = metric.ScoreCorpus(targets, predictions);
        RougeResult many = metric.ScoreCorpus(targets, predictions, -1);
        RougeResult two = metric.ScoreCorpus(targets, predictions, 2);

        foreach (RougeType type in metric.Types)
        {
            many[type].Should().Be(one[type]);
            two[type].Should().Be(one[type]);
            double p = 0.0;
            double r = 0.0;
            double f = 0.0;
            for (int i = 0; i < targets.Length; i++)
            {
                RougeScore score = metric.Score(type, targets[i], predictions[i]);
                p += score.Precision;
                r += score.Recall;
                f += score.FMeasure;
            }

            one[type].Should().Be(new RougeScore(p / targets.Length, r / targets.Length, f / targets.Length), type.ToString());
            one[type].FMeasure.Should().BeInRange(0.05, 1.0);
        }
    }

    [Fact]
    public void ScoreCorpus_InvalidArguments_ThrowNamingTheArgument()
    {
        var rouge = new RougeMetric();
        string[] one = ["a b"];

        FluentActions.Invoking(() => new BleuMetric().ScoreCorpus(one, [one], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => new ChrfMetric().ScoreCorpus(one, [one], -2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => rouge.ScoreCorpus(one, one, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => rouge.ScoreCorpus(one, ["a", "b"])).Should().Throw<ArgumentException>().WithParameterName("predictions");
        FluentActions.Invoking(() => rouge.ScoreCorpus(one, [null!])).Should().Throw<ArgumentException>().WithParameterName("predictions");
        FluentActions.Invoking(() => rouge.ScoreCorpus([], [])).Should().Throw<ArgumentException>().WithParameterName("references");
    }

    // Hypotheses, a first reference for each, and a second one for about half (null pads the rest: nrefs:var).
    private static (string[] Hypotheses, string?[] First, string?[] Second) Corpus(Random random, int count)
    {
        var hypotheses = new string[count];
        var first = new string?[count];
        var second = new string?[count];
        for (int i = 0; i < count; i++)
        {
            string[] words = Sentence(random);
            first[i] = string.Join(' ', words);
            hypotheses[i] = string.Join(' ', words.Select(w => random.Next(0, 5) == 0 ? Vocabulary[random.Next(Vocabulary.Length)] : w));
            second[i] = random.Next(0, 2) == 0 ? null : string.Join(' ', Sentence(random));
        }

        return (hypotheses, first, second);
    }

    private static string[] Sentence(Random random) =>
        Enumerable.Range(0, random.Next(0, 25)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToArray();
}
