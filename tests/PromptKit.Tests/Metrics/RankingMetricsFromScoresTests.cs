using System.Globalization;
using System.Text.Json;

namespace PromptKit.Tests.Metrics;

public sealed class RankingMetricsFromScoresTests
{
    private static readonly RankingMetric[] AllMetrics =
    [
        RankingMetric.Ndcg, RankingMetric.Dcg, RankingMetric.ReciprocalRank, RankingMetric.Precision,
        RankingMetric.Recall, RankingMetric.Hit, RankingMetric.AveragePrecision,
    ];

    public static TheoryData<string> RankingCaseIds() => MetricFixtures.RankingCaseIds();

    [Theory]
    [MemberData(nameof(RankingCaseIds))]
    public void FromScores_FixtureCase_MatchesTrecEvalConventionValues(string id)
    {
        JsonElement fixture = MetricFixtures.Ranking(id);
        (double[] scores, double[] relevances) = ScoresAndGrades(fixture);
        JsonElement qrels = fixture.GetProperty("qrels");
        var items = fixture.GetProperty("items").EnumerateArray().Select(i => i.GetString()!).ToHashSet();

        // The listed items are all the judged items unless the qrels name items that were not scored; then only the
        // metrics that do not need the unscored items are comparable.
        bool complete = qrels.EnumerateObject().All(p => items.Contains(p.Name));
        int checkedValues = 0;

        foreach (JsonProperty metric in fixture.GetProperty("metrics").EnumerateObject())
        {
            int at = metric.Name.IndexOf('@', StringComparison.Ordinal);
            string name = at < 0 ? metric.Name : metric.Name[..at];
            int k = at < 0 ? int.MaxValue : int.Parse(metric.Name[(at + 1)..], CultureInfo.InvariantCulture);
            (RankingMetric Metric, NdcgGain Gain, bool NeedsAllJudged)? mapped = name switch
            {
                "ndcg_linear" => (RankingMetric.Ndcg, NdcgGain.Linear, true),
                "ndcg_exp" => (RankingMetric.Ndcg, NdcgGain.Exponential, true),
                "mrr" => (RankingMetric.ReciprocalRank, NdcgGain.Linear, false),
                "precision" => (RankingMetric.Precision, NdcgGain.Linear, false),
                "recall" => (RankingMetric.Recall, NdcgGain.Linear, true),
                "hit_rate" => (RankingMetric.Hit, NdcgGain.Linear, false),
                "average_precision" => (RankingMetric.AveragePrecision, NdcgGain.Linear, true),
                _ => null,
            };
            if (mapped is null || (mapped.Value.NeedsAllJudged && !complete))
            {
                continue;
            }

            double actual = RankingMetrics.FromScores(mapped.Value.Metric, scores, relevances, k, gain: mapped.Value.Gain);

            actual.ShouldMatch(metric.Value.GetDouble(), $"{id} {metric.Name}");
            checkedValues++;
        }

        checkedValues.Should().BeGreaterThanOrEqualTo(complete ? 33 : 15);
    }

    [Fact]
    public void FromScores_FixtureCases_MostHaveEveryJudgedItemListed()
    {
        int complete = MetricFixtures.RankingCases.Count(fixture =>
        {
            var items = fixture.GetProperty("items").EnumerateArray().Select(i => i.GetString()).ToHashSet();
            return fixture.GetProperty("qrels").EnumerateObject().All(p => items.Contains(p.Name));
        });

        complete.Should().BeGreaterThan(150, "the fixture comparison above should check every metric on most cases");
    }

    [Theory]
    [MemberData(nameof(RankingCaseIds))]
    public void FromScoresAverageTies_FixtureCase_MatchesSklearnNdcgScore(string id)
    {
        JsonElement fixture = MetricFixtures.Ranking(id);
        JsonElement sklearn = fixture.GetProperty("sklearn_ndcg");
        if (sklearn.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        (double[] scores, double[] relevances) = ScoresAndGrades(fixture);
        foreach (JsonProperty metric in sklearn.EnumerateObject())
        {
            int at = metric.Name.IndexOf('@', StringComparison.Ordinal);
            int k = at < 0 ? int.MaxValue : int.Parse(metric.Name[(at + 1)..], CultureInfo.InvariantCulture);
            NdcgGain gain = metric.Name.StartsWith("ndcg_exp", StringComparison.Ordinal) ? NdcgGain.Exponential : NdcgGain.Linear;

            double actual = RankingMetrics.FromScores(RankingMetric.Ndcg, scores, relevances, k, RankingTies.Average, gain);

            actual.ShouldMatch(metric.Value.GetDouble(), $"{id} sklearn {metric.Name}");
            actual.Should().Be(RankingMetrics.NdcgWithTies(scores, relevances, k, gain));
        }
    }

    [Fact]
    public void FromScores_RandomLists_EqualRankedListMethodsOnStablySortedGradesBitForBit()
    {
        var random = new Random(19);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            int length = RandomLength(random, iteration);
            (double[] scores, double[] grades) = RandomList(random, length);
            double[] ranked = StableRank(scores, grades);
            int relevant = RankingMetrics.CountRelevant(ranked);
            int k = RandomCutoff(random, length);
            NdcgGain gain = iteration % 2 == 0 ? NdcgGain.Linear : NdcgGain.Exponential;
            string because = $"iteration {iteration}, n = {length}, k = {k}, {gain}";

            RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, k, gain: gain).Should().Be(RankingMetrics.Ndcg(ranked, k, gain), because);
            RankingMetrics.FromScores(RankingMetric.Dcg, scores, grades, k, gain: gain).Should().Be(ReferenceDcg(ranked, k, gain), because);
            RankingMetrics.FromScores(RankingMetric.ReciprocalRank, scores, grades, k).Should().Be(RankingMetrics.ReciprocalRank(ranked, k), because);
            RankingMetrics.FromScores(RankingMetric.Precision, scores, grades, k).Should().Be(RankingMetrics.PrecisionAt(ranked, k), because);
            RankingMetrics.FromScores(RankingMetric.Recall, scores, grades, k).Should().Be(RankingMetrics.RecallAt(ranked, relevant, k), because);
            RankingMetrics.FromScores(RankingMetric.Hit, scores, grades, k).Should().Be(RankingMetrics.HitAt(ranked, k), because);
            RankingMetrics.FromScores(RankingMetric.AveragePrecision, scores, grades, int.MaxValue)
                .Should().Be(RankingMetrics.AveragePrecision(ranked, relevant), because);
            RankingMetrics.FromScores(RankingMetric.AveragePrecision, scores, grades, k)
                .Should().Be(RankingMetrics.AveragePrecision(ranked.AsSpan(0, Math.Min(k, length)), relevant), because);
        }
    }

    [Fact]
    public void FromScoresAverageTies_RandomLists_NdcgIsNdcgWithTiesAndDcgIsTieAveragedSum()
    {
        var random = new Random(1919);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            int length = RandomLength(random, iteration);
            (double[] scores, double[] grades) = RandomList(random, length);
            int k = RandomCutoff(random, length);
            NdcgGain gain = iteration % 2 == 0 ? NdcgGain.Linear : NdcgGain.Exponential;
            string because = $"iteration {iteration}, n = {length}, k = {k}, {gain}";

            RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, k, RankingTies.Average, gain)
                .Should().Be(RankingMetrics.NdcgWithTies(scores, grades, k, gain), because);
            double expected = ReferenceTieAveragedDcg(scores, grades, k, gain);
            RankingMetrics.FromScores(RankingMetric.Dcg, scores, grades, k, RankingTies.Average, gain)
                .Should().BeApproximately(expected, 1e-12 * Math.Max(1.0, expected), because);
        }
    }

    [Fact]
    public void FromScores_TiedScores_ItemOrderRanksEarlierItemFirstAndAverageSharesGain()
    {
        double[] scores = [0.5, 0.5, 0.1];
        double[] grades = [0, 3, 1];
        double discount2 = 1.0 / Math.Log2(3);

        RankingMetrics.FromScores(RankingMetric.Dcg, scores, grades, 2).Should().Be(3 * discount2);
        RankingMetrics.FromScores(RankingMetric.ReciprocalRank, scores, grades, 3).Should().Be(0.5);
        RankingMetrics.FromScores(RankingMetric.Dcg, scores, grades, 2, RankingTies.Average)
            .Should().BeApproximately(1.5 * (1.0 + discount2), 1e-15);
    }

    [Fact]
    public void FromScores_ExponentialGainOfWholeGrades_EqualsPowerOfTwoMinusOne()
    {
        for (int grade = 0; grade <= (int)RankingMetrics.MaxExponentialGrade; grade++)
        {
            RankingMetrics.FromScores(RankingMetric.Dcg, new[] { 1.0 }, new double[] { grade }, 1, gain: NdcgGain.Exponential)
                .Should().Be(Math.Pow(2.0, grade) - 1.0, $"grade {grade}");
        }

        RankingMetrics.FromScores(RankingMetric.Dcg, new[] { 1.0 }, new[] { 2.5 }, 1, gain: NdcgGain.Exponential).Should().Be(Math.Pow(2.0, 2.5) - 1.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void FromScoresBatch_EqualLengthAndOffsets_EqualSingleListCallsWhateverTheThreads(int threads)
    {
        var random = new Random(190);
        const int Lists = 1500;
        const int Length = 40;
        var scores = new double[Lists * Length];
        var grades = new double[Lists * Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Round(random.NextDouble() * 4.0, 1);
            grades[i] = random.Next(0, 10) < 7 ? 0 : random.Next(1, 4);
        }

        var offsets = new int[Lists + 1];
        for (int list = 1; list < Lists; list++)
        {
            offsets[list] = Math.Min(scores.Length, offsets[list - 1] + random.Next(0, 2 * Length));
        }

        offsets[Lists] = scores.Length;
        foreach (RankingMetric metric in AllMetrics)
        {
            foreach (RankingTies ties in metric is RankingMetric.Ndcg or RankingMetric.Dcg ? new[] { RankingTies.ItemOrder, RankingTies.Average } : [RankingTies.ItemOrder])
            {
                var equal = new double[Lists];
                var ragged = new double[Lists];

                RankingMetrics.FromScores(metric, scores, grades, Length, 10, equal, ties, NdcgGain.Exponential, maxDegreeOfParallelism: threads);
                RankingMetrics.FromScores(metric, scores, grades, offsets, 10, ragged, ties, NdcgGain.Exponential, maxDegreeOfParallelism: threads);

                for (int list = 0; list < Lists; list++)
                {
                    equal[list].Should().Be(
                        RankingMetrics.FromScores(metric, scores.AsSpan(list * Length, Length), grades.AsSpan(list * Length, Length), 10, ties, NdcgGain.Exponential),
                        $"{metric} {ties} list {list}");
                    ragged[list].Should().Be(
                        RankingMetrics.FromScores(metric, scores.AsSpan(offsets[list], offsets[list + 1] - offsets[list]), grades.AsSpan(offsets[list], offsets[list + 1] - offsets[list]), 10, ties, NdcgGain.Exponential),
                        $"{metric} {ties} ragged list {list}");
                }
            }
        }
    }

    [Fact]
    public void FromScores_SmallListsAfterWarmUp_AllocateNothing()
    {
        double[] scores = [0.9, 0.8, 0.8, 0.5, 0.4, 0.4, 0.2, 0.1, 0.9, 0.8, 0.8, 0.5];
        double[] grades = [3, 0, 2, 1, 0, 1, 2, 0, 1, 1, 0, 2];
        var destination = new double[3];
        double sink = Run();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sink += Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        sink.Should().BeGreaterThan(0.0);

        double Run()
        {
            double sum = 0.0;
            foreach (RankingMetric metric in AllMetrics)
            {
                sum += RankingMetrics.FromScores(metric, scores, grades, 5, gain: NdcgGain.Exponential);
                RankingMetrics.FromScores(metric, scores, grades, 4, 3, destination);
                sum += destination[0];
            }

            return sum + RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 50, RankingTies.Average);
        }
    }

    [Fact]
    public void FromScores_InvalidArguments_ThrowNamingTheArgument()
    {
        double[] scores = [1.0, 2.0];
        double[] grades = [1.0, 0.0];
        var destination = new double[1];

        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Precision, scores, grades, 1, RankingTies.Average))
            .Should().Throw<ArgumentException>().WithParameterName("ties");
        FluentActions.Invoking(() => RankingMetrics.FromScores((RankingMetric)99, scores, grades, 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("metric");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, new[] { 1.0 }, 1))
            .Should().Throw<ArgumentException>().WithParameterName("relevances");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, new[] { double.NaN, 1.0 }, grades, 1))
            .Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("scores[0]*");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, new[] { 1.0, -1.0 }, 1))
            .Should().Throw<ArgumentException>().WithParameterName("relevances").WithMessage("relevances[1]*");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Hit, scores, grades, 1, relevanceThreshold: 0.0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("relevanceThreshold");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, null!, grades, 1))
            .Should().Throw<ArgumentNullException>().WithParameterName("scores");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 0, 1, destination))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("listLength");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, new double[3], new double[3], 2, 1, destination))
            .Should().Throw<ArgumentException>().WithParameterName("scores");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 1, 1, destination))
            .Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 2, 1, destination, maxDegreeOfParallelism: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxDegreeOfParallelism");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, new[] { 0, 3 }, 1, destination))
            .Should().Throw<ArgumentException>().WithParameterName("listOffsets");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, new[] { 1, 0 }, 1, destination))
            .Should().Throw<ArgumentException>().WithParameterName("listOffsets");
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, Array.Empty<int>(), 1, Array.Empty<double>()))
            .Should().Throw<ArgumentException>().WithParameterName("listOffsets");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FromScoresBatch_InvalidValueInALaterBlock_ThrowsNamingItsIndex(int threads)
    {
        var scores = new double[600 * 100]; // 600 lists: two chunks on two threads
        var grades = new double[600 * 100];
        scores[50003] = double.PositiveInfinity;
        grades[59001] = -1.0;
        var destination = new double[600];

        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 100, 10, destination, maxDegreeOfParallelism: threads))
            .Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("scores[50003]*");
        scores[50003] = 0.0;
        FluentActions.Invoking(() => RankingMetrics.FromScores(RankingMetric.Ndcg, scores, grades, 100, 10, destination, maxDegreeOfParallelism: threads))
            .Should().Throw<ArgumentException>().WithParameterName("relevances").WithMessage("relevances[59001]*");
    }

    [Fact]
    public void FromScores_EmptyList_ReturnsZero()
    {
        foreach (RankingMetric metric in AllMetrics)
        {
            RankingMetrics.FromScores(metric, Array.Empty<double>(), Array.Empty<double>(), 10).Should().Be(0.0);
        }
    }

    private static (double[] Scores, double[] Grades) ScoresAndGrades(JsonElement fixture)
    {
        JsonElement qrels = fixture.GetProperty("qrels");
        double[] scores = fixture.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        double[] grades = fixture.GetProperty("items").EnumerateArray()
            .Select(item => qrels.TryGetProperty(item.GetString()!, out JsonElement g) ? g.GetDouble() : 0.0)
            .ToArray();
        return (scores, grades);
    }

    // The grades sorted by descending score with a stable sort (LINQ's OrderBy is stable).
    private static double[] StableRank(double[] scores, double[] grades) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Select(i => grades[i]).ToArray();

    private static double Gain(double grade, NdcgGain gain) => gain == NdcgGain.Linear ? grade : Math.Pow(2.0, grade) - 1.0;

    private static double ReferenceDcg(double[] ranked, int k, NdcgGain gain)
    {
        double sum = 0.0;
        for (int i = 0; i < Math.Min(k, ranked.Length); i++)
        {
            sum += Gain(ranked[i], gain) * (1.0 / Math.Log2(i + 2));
        }

        return sum;
    }

    // scikit-learn's _tie_averaged_dcg: each group of equal scores spreads its mean gain over the ranks it occupies.
    private static double ReferenceTieAveragedDcg(double[] scores, double[] grades, int k, NdcgGain gain)
    {
        int cutoff = Math.Min(k, scores.Length);
        double dcg = 0.0;
        int rank = 0;
        foreach (IGrouping<double, int> group in Enumerable.Range(0, scores.Length).GroupBy(i => scores[i] == 0.0 ? 0.0 : scores[i]).OrderByDescending(g => g.Key))
        {
            double mean = group.Sum(i => Gain(grades[i], gain)) / group.Count();
            for (int r = rank; r < Math.Min(rank + group.Count(), cutoff); r++)
            {
                dcg += mean / Math.Log2(r + 2);
            }

            rank += group.Count();
        }

        return dcg;
    }

    private static (double[] Scores, double[] Grades) RandomList(Random random, int length)
    {
        var scores = new double[length];
        var grades = new double[length];
        int style = random.Next(0, 4);
        for (int i = 0; i < length; i++)
        {
            scores[i] = style switch
            {
                0 => random.Next(0, 5) - 2.0, // few distinct values: many ties, some negative
                1 => random.Next(0, 2) == 0 ? -0.0 : 0.0,
                _ => Math.Round(random.NextDouble() * 3.0 - 1.0, 2),
            };
            grades[i] = style == 3 && random.Next(0, 3) == 0
                ? random.NextDouble() * 4.0
                : random.Next(0, 10) < 7 ? 0.0 : random.Next(1, 4);
        }

        return (scores, grades);
    }

    private static int RandomLength(Random random, int iteration) => (iteration % 20) switch
    {
        0 => 0,
        1 => random.Next(257, 600), // pooled buffers for the sorting path
        2 => random.Next(33, 256),
        _ => random.Next(1, 80),
    };

    private static int RandomCutoff(Random random, int length) => random.Next(0, 6) switch
    {
        0 => int.MaxValue,
        1 => length + random.Next(1, 5), // k > n
        2 => Math.Max(1, length),
        _ => random.Next(1, 40),
    };
}
