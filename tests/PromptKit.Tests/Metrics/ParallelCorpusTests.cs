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
    [InlineData(RougeType.Rouge1, true)]
    [InlineData(RougeType.Rouge2, false)]
    [InlineData(RougeType.RougeL, true)]
    [InlineData(RougeType.RougeLsum, false)]
    public void RougeScoreCorpus_SeveralThreads_BitIdenticalToOneThreadAndMeanOfPairs(RougeType type, bool stem)
    {
        (string[] predictions, string?[] references, _) = Corpus(new Random(1902), 500);
        string[] targets = references.Select(r => r!).ToArray();
        var metric = new RougeMetric(new RougeOptions { UseStemmer = stem });

        RougeScore one = metric.ScoreCorpus(type, targets, predictions);
        RougeScore many = metric.ScoreCorpus(type, targets, predictions, -1);
        RougeScore two = metric.ScoreCorpus(type, targets, predictions, 2);

        many.Should().Be(one);
        two.Should().Be(one);
        double f = 0.0;
        for (int i = 0; i < targets.Length; i++)
        {
            f += metric.Score(type, targets[i], predictions[i]).FMeasure;
        }

        one.FMeasure.Should().Be(f / targets.Length);
        one.FMeasure.Should().BeInRange(0.05, 1.0);
    }

    [Fact]
    public void ScoreCorpus_InvalidArguments_ThrowNamingTheArgument()
    {
        var rouge = new RougeMetric();
        string[] one = ["a b"];

        FluentActions.Invoking(() => new BleuMetric().ScoreCorpus(one, [one], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => new ChrfMetric().ScoreCorpus(one, [one], -2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => rouge.ScoreCorpus(RougeType.Rouge1, one, one, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => rouge.ScoreCorpus(RougeType.Rouge1, one, ["a", "b"])).Should().Throw<ArgumentException>().WithParameterName("predictions");
        FluentActions.Invoking(() => rouge.ScoreCorpus(RougeType.Rouge1, one, [null!])).Should().Throw<ArgumentException>().WithParameterName("predictions");
        FluentActions.Invoking(() => rouge.ScoreCorpus(RougeType.Rouge1, [], [])).Should().Throw<ArgumentException>().WithParameterName("references");
        FluentActions.Invoking(() => rouge.ScoreCorpus((RougeType)9, one, one)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
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
