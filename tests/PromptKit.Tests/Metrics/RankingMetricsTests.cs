using System.Globalization;
using System.Text.Json;

namespace PromptKit.Tests.Metrics;

public sealed class RankingMetricsTests
{
    public static TheoryData<string> RankingCaseIds() => MetricFixtures.RankingCaseIds();

    [Theory]
    [MemberData(nameof(RankingCaseIds))]
    public void AllMetrics_FixtureCase_MatchTrecEvalConventionValues(string id)
    {
        JsonElement fixture = MetricFixtures.Ranking(id);
        (double[] ranked, double[] judged) = RankedAndJudged(fixture);
        JsonElement metrics = fixture.GetProperty("metrics");
        int totalRelevant = RankingMetrics.CountRelevant(judged);
        int checkedValues = 0;

        foreach (JsonProperty metric in metrics.EnumerateObject())
        {
            double actual = Compute(metric.Name, ranked, judged, totalRelevant);

            actual.ShouldMatch(metric.Value.GetDouble(), $"{id} {metric.Name}");
            checkedValues++;
        }

        checkedValues.Should().Be(metrics.EnumerateObject().Count());
        metrics.TryGetProperty("ndcg_linear@20", out _).Should().BeTrue("the fixture lists every metric at every cutoff");
    }

    [Theory]
    [MemberData(nameof(RankingCaseIds))]
    public void NdcgWithTies_FixtureCase_MatchesSklearnNdcgScore(string id)
    {
        JsonElement fixture = MetricFixtures.Ranking(id);
        JsonElement sklearn = fixture.GetProperty("sklearn_ndcg");
        if (sklearn.ValueKind == JsonValueKind.Null)
        {
            fixture.GetProperty("sklearn_ndcg_why_null").GetString().Should().NotBeNullOrEmpty();
            return;
        }

        double[] scores = fixture.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToArray();
        JsonElement qrels = fixture.GetProperty("qrels");
        double[] relevances = fixture.GetProperty("items").EnumerateArray()
            .Select(item => Grade(qrels, item.GetString()!))
            .ToArray();
        int checkedValues = 0;

        foreach (JsonProperty metric in sklearn.EnumerateObject())
        {
            (NdcgGain gain, int k) = ParseNdcgKey(metric.Name);
            double actual = RankingMetrics.NdcgWithTies(scores, relevances, k, gain);

            actual.ShouldMatch(metric.Value.GetDouble(), $"{id} sklearn {metric.Name}");
            checkedValues++;
        }

        checkedValues.Should().Be(6);
    }

    [Fact]
    public void MeanAveragePrecision_AllFixtureCases_EqualsMeanOfFixtureAveragePrecision()
    {
        var lists = new List<double[]>();
        var totals = new List<int>();
        double expectedSum = 0.0;
        foreach (JsonElement fixture in MetricFixtures.RankingCases)
        {
            (double[] ranked, double[] judged) = RankedAndJudged(fixture);
            lists.Add(ranked);
            totals.Add(RankingMetrics.CountRelevant(judged));
            expectedSum += fixture.GetProperty("metrics").GetProperty("average_precision").GetDouble();
        }

        double map = RankingMetrics.MeanAveragePrecision(lists, totals);

        map.ShouldMatch(expectedSum / lists.Count, "MAP is the mean of the per-query AP");
    }

    [Fact]
    public void Ndcg_PerfectRanking_ReturnsOne() =>
        RankingMetrics.Ndcg([3, 2, 1, 0], k: 4).Should().BeApproximately(1.0, 1e-12);

    [Fact]
    public void Ndcg_KnownValue_MatchesHandComputation()
    {
        double expected = (1.0 + (3.0 / Math.Log2(3))) / (3.0 + (1.0 / Math.Log2(3)));

        double actual = RankingMetrics.Ndcg([1.0, 3.0, 0.0], k: 3);

        actual.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Ndcg_JudgedIncludesUnretrievedRelevant_ScoresBelowSelfIdeal()
    {
        double[] ranked = [2.0, 1.0];
        double[] judged = [2.0, 1.0, 3.0];

        double withJudged = RankingMetrics.Ndcg(ranked, judged, k: 3);
        double selfIdeal = RankingMetrics.Ndcg(ranked, k: 3);

        selfIdeal.Should().Be(1.0);
        withJudged.Should().BeApproximately((2.0 + (1.0 / Math.Log2(3))) / (3.0 + (2.0 / Math.Log2(3)) + (1.0 / 2.0)), 1e-12);
    }

    [Fact]
    public void Ndcg_ExponentialGain_UsesTwoToTheGradeMinusOne()
    {
        double expected = (1.0 + (7.0 / Math.Log2(3))) / (7.0 + (1.0 / Math.Log2(3)));

        double actual = RankingMetrics.Ndcg([1.0, 3.0], k: 2, NdcgGain.Exponential);

        actual.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Ndcg_AllZero_ReturnsZero()
    {
        RankingMetrics.Ndcg([0.0, 0.0], k: 2).Should().Be(0.0);
        RankingMetrics.Ndcg([0.0, 0.0], [0.0], k: 2).Should().Be(0.0);
        RankingMetrics.NdcgWithTies([1.0, 2.0], [0.0, 0.0], k: 2).Should().Be(0.0);
    }

    [Fact]
    public void AllMetrics_EmptyInput_ReturnZero()
    {
        RankingMetrics.Ndcg(ReadOnlySpan<double>.Empty, k: 5).Should().Be(0.0);
        RankingMetrics.Ndcg(ReadOnlySpan<double>.Empty, [3.0], k: 5).Should().Be(0.0);
        RankingMetrics.NdcgWithTies(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, k: 5).Should().Be(0.0);
        RankingMetrics.ReciprocalRank(ReadOnlySpan<double>.Empty).Should().Be(0.0);
        RankingMetrics.PrecisionAt(ReadOnlySpan<double>.Empty, k: 5).Should().Be(0.0);
        RankingMetrics.RecallAt(ReadOnlySpan<double>.Empty, totalRelevant: 2, k: 5).Should().Be(0.0);
        RankingMetrics.HitAt(ReadOnlySpan<double>.Empty, k: 5).Should().Be(0.0);
        RankingMetrics.AveragePrecision(ReadOnlySpan<double>.Empty, totalRelevant: 2).Should().Be(0.0);
        RankingMetrics.CountRelevant(ReadOnlySpan<double>.Empty).Should().Be(0);
        RankingMetrics.MeanAveragePrecision([], []).Should().Be(0.0);
    }

    [Fact]
    public void PrecisionAt_ListShorterThanK_DividesByK() =>
        RankingMetrics.PrecisionAt([1.0, 1.0], k: 5).Should().BeApproximately(0.4, 1e-15);

    [Fact]
    public void RelevanceThreshold_Raised_CountsOnlyHigherGrades()
    {
        double[] ranked = [1.0, 2.0, 3.0];

        RankingMetrics.ReciprocalRank(ranked, relevanceThreshold: 2.0).Should().Be(0.5);
        RankingMetrics.PrecisionAt(ranked, k: 3, relevanceThreshold: 3.0).Should().BeApproximately(1.0 / 3, 1e-15);
        RankingMetrics.HitAt(ranked, k: 1, relevanceThreshold: 2.0).Should().Be(0.0);
        RankingMetrics.CountRelevant(ranked, relevanceThreshold: 0.5).Should().Be(3);
        RankingMetrics.AveragePrecision(ranked, totalRelevant: 1, relevanceThreshold: 3.0).Should().BeApproximately(1.0 / 3, 1e-15);
        RankingMetrics.RecallAt(ranked, totalRelevant: 4, k: 2, relevanceThreshold: 2.0).Should().Be(0.25);
    }

    [Fact]
    public void NdcgWithTies_AllTied_AveragesGainOverTheGroup()
    {
        // One group of three: mean gain 1 times the sum of the top-2 discounts.
        double expected = (1.0 * (1.0 + (1.0 / Math.Log2(3)))) / (3.0 + 0.0);

        double actual = RankingMetrics.NdcgWithTies([0.5, 0.5, 0.5], [0.0, 3.0, 0.0], k: 2);

        actual.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void NdcgWithTies_LargeInput_UsesPooledBufferAndMatchesSmallPathDefinition()
    {
        var random = new Random(7);
        double[] scores = Enumerable.Range(0, 1_000).Select(_ => (double)random.Next(50)).ToArray();
        double[] relevances = Enumerable.Range(0, 1_000).Select(_ => (double)random.Next(4)).ToArray();
        double[] shuffledScores = (double[])scores.Clone();
        double[] shuffledRelevances = (double[])relevances.Clone();
        ShuffleTogether(shuffledScores, shuffledRelevances, new Random(11));

        double original = RankingMetrics.NdcgWithTies(scores, relevances, k: 100, NdcgGain.Exponential);
        double shuffled = RankingMetrics.NdcgWithTies(shuffledScores, shuffledRelevances, k: 100, NdcgGain.Exponential);

        original.Should().BeInRange(0.0, 1.0);
        shuffled.Should().BeApproximately(original, 1e-12);
    }

    [Fact]
    public void Properties_RandomLists_AllMetricsWithinUnitIntervalAndIdealIsOne()
    {
        var random = new Random(20240601);
        for (int iteration = 0; iteration < 2_000; iteration++)
        {
            int length = random.Next(0, iteration % 10 == 0 ? 400 : 30);
            int k = random.Next(1, 30);
            double[] ranked = RandomGrades(random, length);
            double[] extraJudged = RandomGrades(random, random.Next(0, 5));
            double[] judged = [.. ranked, .. extraJudged];
            int totalRelevant = RankingMetrics.CountRelevant(judged);
            string because = string.Create(CultureInfo.InvariantCulture, $"iteration {iteration}, length {length}, k {k}");

            foreach (NdcgGain gain in new[] { NdcgGain.Linear, NdcgGain.Exponential })
            {
                RankingMetrics.Ndcg(ranked, k, gain).Should().BeInRange(0.0, 1.0, because);
                RankingMetrics.Ndcg(ranked, judged, k, gain).Should().BeInRange(0.0, 1.0, because);
                RankingMetrics.NdcgWithTies(RandomScores(random, length), ranked, k, gain).Should().BeInRange(0.0, 1.0, because);
            }

            RankingMetrics.ReciprocalRank(ranked, k).Should().BeInRange(0.0, 1.0, because);
            RankingMetrics.PrecisionAt(ranked, k).Should().BeInRange(0.0, 1.0, because);
            RankingMetrics.RecallAt(ranked, totalRelevant, k).Should().BeInRange(0.0, 1.0, because);
            RankingMetrics.HitAt(ranked, k).Should().BeInRange(0.0, 1.0, because);
            RankingMetrics.AveragePrecision(ranked, totalRelevant).Should().BeInRange(0.0, 1.0, because);

            double[] ideal = [.. judged.OrderByDescending(g => g)];
            if (judged.Any(g => g > 0.0))
            {
                RankingMetrics.Ndcg(ideal, judged, k).Should().Be(1.0, because);
                RankingMetrics.Ndcg(ideal, judged, k, NdcgGain.Exponential).Should().Be(1.0, because);
                RankingMetrics.Ndcg(ideal, k).Should().Be(1.0, because);
            }
        }
    }

    [Fact]
    public void Properties_ScoresWithoutTies_NdcgWithTiesEqualsNdcgOfSortedList()
    {
        var random = new Random(99);
        for (int iteration = 0; iteration < 1_000; iteration++)
        {
            int length = random.Next(1, iteration % 10 == 0 ? 300 : 40);
            int k = random.Next(1, 45);
            double[] relevances = RandomGrades(random, length);
            double[] scores = Enumerable.Range(0, length).Select(i => i + random.NextDouble() * 0.5).ToArray();
            random.Shuffle(scores);
            double[] rankedByScore = [.. Enumerable.Range(0, length).OrderByDescending(i => scores[i]).Select(i => relevances[i])];

            foreach (NdcgGain gain in new[] { NdcgGain.Linear, NdcgGain.Exponential })
            {
                double withTies = RankingMetrics.NdcgWithTies(scores, relevances, k, gain);
                double plain = RankingMetrics.Ndcg(rankedByScore, k, gain);

                withTies.Should().BeApproximately(plain, 1e-12, $"iteration {iteration}");
            }
        }
    }

    [Fact]
    public void NdcgOverloads_RandomLists_EqualFullSortReferenceExactly()
    {
        var random = new Random(31337);
        for (int iteration = 0; iteration < 3_000; iteration++)
        {
            int length = RandomLength(random, iteration);
            int k = RandomCutoff(random, length);
            double[] ranked = RandomReferenceGrades(random, length);
            double[] judged = [.. ranked, .. RandomReferenceGrades(random, random.Next(0, 8))];
            random.Shuffle(judged);
            string because = string.Create(CultureInfo.InvariantCulture, $"iteration {iteration}, length {length}, k {k}");

            foreach (NdcgGain gain in new[] { NdcgGain.Linear, NdcgGain.Exponential })
            {
                double selfIdeal = RankingMetrics.Ndcg(ranked, k, gain);
                double judgedIdeal = RankingMetrics.Ndcg(ranked, judged, k, gain);

                selfIdeal.Should().Be(ReferenceNdcg(ranked, ranked, k, gain), because);
                judgedIdeal.Should().Be(ReferenceNdcg(ranked, judged, k, gain), because);
            }
        }
    }

    [Fact]
    public void Ndcg_RandomIncompleteJudgedGrades_ThrowsExactlyWhenReferenceCheckFails()
    {
        var random = new Random(4242);
        int thrown = 0;
        for (int iteration = 0; iteration < 2_000; iteration++)
        {
            int length = RandomLength(random, iteration);
            int k = RandomCutoff(random, length);
            double[] ranked = RandomReferenceGrades(random, length);
            double[] judged = RandomReferenceGrades(random, random.Next(0, length + 3));
            bool consistent = ReferenceJudgedCoversRanked(ranked, judged, k);

            Action act = () => RankingMetrics.Ndcg(ranked, judged, k);

            if (consistent)
            {
                act.Should().NotThrow($"iteration {iteration}");
            }
            else
            {
                act.Should().Throw<ArgumentException>($"iteration {iteration}").WithParameterName("judgedRelevances");
                thrown++;
            }
        }

        thrown.Should().BeGreaterThan(100, "the generator must exercise the inconsistent case");
    }

    [Fact]
    public void NdcgWithTies_RandomScoresWithTies_EqualsFullSortReference()
    {
        var random = new Random(8675309);
        for (int iteration = 0; iteration < 3_000; iteration++)
        {
            int length = RandomLength(random, iteration);
            int k = RandomCutoff(random, length);
            double[] relevances = RandomReferenceGrades(random, length);
            int distinct = random.Next(1, Math.Max(2, length + 1));
            var scores = new double[length];
            for (int i = 0; i < length; i++)
            {
                // Few distinct values give large tie groups, including groups that straddle the cutoff; -0.0 and
                // 0.0 must tie.
                scores[i] = random.Next(0, 8) == 0 ? (random.Next(2) == 0 ? -0.0 : 0.0) : random.Next(distinct) - (distinct / 2.0);
            }

            string because = string.Create(CultureInfo.InvariantCulture, $"iteration {iteration}, length {length}, k {k}");

            foreach (NdcgGain gain in new[] { NdcgGain.Linear, NdcgGain.Exponential })
            {
                double actual = RankingMetrics.NdcgWithTies(scores, relevances, k, gain);

                // Summation order inside a tie group is unspecified, so allow for rounding there.
                actual.Should().BeApproximately(ReferenceNdcgWithTies(scores, relevances, k, gain), 1e-13, because);
            }
        }
    }

    [Fact]
    public void NdcgWithTies_PermutedInput_SameValue()
    {
        double[] scores = [0.5, 0.5, 0.1, 0.9, 0.5, 0.1];
        double[] relevances = [3, 0, 1, 2, 1, 0];
        double[] permutedScores = [0.1, 0.5, 0.9, 0.5, 0.1, 0.5];
        double[] permutedRelevances = [0, 1, 2, 0, 1, 3];

        double a = RankingMetrics.NdcgWithTies(scores, relevances, k: 3);
        double b = RankingMetrics.NdcgWithTies(permutedScores, permutedRelevances, k: 3);

        b.Should().BeApproximately(a, 1e-15);
    }

    [Fact]
    public void Metrics_SmallInputAfterWarmUp_AllocateNothing()
    {
        double[] ranked = [3, 0, 2, 1, 0, 1, 2, 0];
        double[] judged = [3, 0, 2, 1, 0, 1, 2, 0, 3];
        double[] scores = [0.9, 0.8, 0.8, 0.5, 0.4, 0.4, 0.2, 0.1];
        double sink = RunAll(ranked, judged, scores);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sink += RunAll(ranked, judged, scores);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        sink.Should().BeGreaterThan(0.0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void AllMetrics_NonPositiveK_ThrowWithParamName(int k)
    {
        double[] list = [1.0];

        foreach (Action act in new Action[]
        {
            () => RankingMetrics.Ndcg(list, k),
            () => RankingMetrics.Ndcg(list, list, k),
            () => RankingMetrics.NdcgWithTies(list, list, k),
            () => RankingMetrics.ReciprocalRank(list, k),
            () => RankingMetrics.PrecisionAt(list, k),
            () => RankingMetrics.RecallAt(list, 1, k),
            () => RankingMetrics.HitAt(list, k),
        })
        {
            act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(k));
        }
    }

    [Fact]
    public void ArrayOverloads_NullArrays_ThrowWithParamName()
    {
        double[] list = [1.0];
        double[]? none = null;

        FluentActions.Invoking(() => RankingMetrics.Ndcg(none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.Ndcg(none!, list, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.Ndcg(list, none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("judgedRelevances");
        FluentActions.Invoking(() => RankingMetrics.NdcgWithTies(none!, list, 1)).Should().Throw<ArgumentNullException>().WithParameterName("scores");
        FluentActions.Invoking(() => RankingMetrics.NdcgWithTies(list, none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("relevances");
        FluentActions.Invoking(() => RankingMetrics.ReciprocalRank(none!)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.PrecisionAt(none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.RecallAt(none!, 1, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.HitAt(none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.AveragePrecision(none!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.CountRelevant(none!)).Should().Throw<ArgumentNullException>().WithParameterName("relevances");
        FluentActions.Invoking(() => RankingMetrics.MeanAveragePrecision(null!, [1])).Should().Throw<ArgumentNullException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.MeanAveragePrecision([list], null!)).Should().Throw<ArgumentNullException>().WithParameterName("totalRelevant");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1.0)]
    public void AllMetrics_InvalidGrade_ThrowNamingParameterAndIndex(double bad)
    {
        double[] list = [1.0, bad];
        double[] good = [1.0, 1.0];

        FluentActions.Invoking(() => RankingMetrics.Ndcg(list, 2)).Should().Throw<ArgumentException>()
            .WithParameterName("rankedRelevances").WithMessage("rankedRelevances[1] is *");
        FluentActions.Invoking(() => RankingMetrics.Ndcg(good, list, 2)).Should().Throw<ArgumentException>()
            .WithParameterName("judgedRelevances").WithMessage("judgedRelevances[1] is *");
        FluentActions.Invoking(() => RankingMetrics.NdcgWithTies(good, list, 2)).Should().Throw<ArgumentException>()
            .WithParameterName("relevances").WithMessage("relevances[1] is *");
        FluentActions.Invoking(() => RankingMetrics.ReciprocalRank(list)).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.PrecisionAt(list, 1)).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.RecallAt(list, 2, 1)).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.HitAt(list, 1)).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.AveragePrecision(list, 2)).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
        FluentActions.Invoking(() => RankingMetrics.CountRelevant(list)).Should().Throw<ArgumentException>().WithParameterName("relevances");
        FluentActions.Invoking(() => RankingMetrics.MeanAveragePrecision([list], [2])).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NdcgWithTies_NonFiniteScore_ThrowsNamingScoresAndIndex(double bad)
    {
        Action act = () => RankingMetrics.NdcgWithTies([0.5, 0.1, bad], [1.0, 0.0, 2.0], k: 3);

        act.Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("scores[2] is *");
    }

    [Fact]
    public void NdcgWithTies_LengthMismatch_ThrowsArgumentException()
    {
        Action act = () => RankingMetrics.NdcgWithTies([0.5, 0.1], [1.0], k: 3);

        act.Should().Throw<ArgumentException>().WithParameterName("relevances").WithMessage("*length 1*length 2*");
    }

    [Fact]
    public void Ndcg_ExponentialGradeTooLarge_Throws()
    {
        Action act = () => RankingMetrics.Ndcg([2000.0], k: 1, NdcgGain.Exponential);

        act.Should().Throw<ArgumentException>().WithParameterName("rankedRelevances").WithMessage("*overflows*");
    }

    [Fact]
    public void Ndcg_UndefinedGain_ThrowsArgumentOutOfRange()
    {
        Action act = () => RankingMetrics.Ndcg([1.0], k: 1, (NdcgGain)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gain");
    }

    [Fact]
    public void Ndcg_JudgedDoesNotCoverRankedGrades_ThrowsNamingJudged()
    {
        Action act = () => RankingMetrics.Ndcg([3.0, 1.0], [1.0, 1.0], k: 2);

        act.Should().Throw<ArgumentException>().WithParameterName("judgedRelevances").WithMessage("*judged*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BinaryMetrics_InvalidThreshold_ThrowWithParamName(double threshold)
    {
        double[] list = [1.0];

        foreach (Action act in new Action[]
        {
            () => RankingMetrics.ReciprocalRank(list, relevanceThreshold: threshold),
            () => RankingMetrics.PrecisionAt(list, 1, threshold),
            () => RankingMetrics.RecallAt(list, 1, 1, threshold),
            () => RankingMetrics.HitAt(list, 1, threshold),
            () => RankingMetrics.AveragePrecision(list, 1, threshold),
            () => RankingMetrics.CountRelevant(list, threshold),
            () => RankingMetrics.MeanAveragePrecision([list], [1], threshold),
        })
        {
            act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("relevanceThreshold");
        }
    }

    [Fact]
    public void RecallAndAveragePrecision_TotalRelevantTooSmall_ThrowWithParamName()
    {
        double[] list = [1.0, 2.0];

        FluentActions.Invoking(() => RankingMetrics.RecallAt(list, 1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalRelevant");
        FluentActions.Invoking(() => RankingMetrics.RecallAt(list, -1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalRelevant");
        FluentActions.Invoking(() => RankingMetrics.AveragePrecision(list, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalRelevant");
        FluentActions.Invoking(() => RankingMetrics.AveragePrecision(list, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalRelevant");
    }

    [Fact]
    public void MeanAveragePrecision_CountMismatchOrNullList_ThrowsArgumentException()
    {
        FluentActions.Invoking(() => RankingMetrics.MeanAveragePrecision([[1.0]], [1, 2])).Should().Throw<ArgumentException>().WithParameterName("totalRelevant");
        FluentActions.Invoking(() => RankingMetrics.MeanAveragePrecision([null!], [1])).Should().Throw<ArgumentException>().WithParameterName("rankedRelevances");
    }

    private static double RunAll(double[] ranked, double[] judged, double[] scores) =>
        RankingMetrics.Ndcg(ranked, 5)
        + RankingMetrics.Ndcg(ranked, judged, 5, NdcgGain.Exponential)
        + RankingMetrics.NdcgWithTies(scores, ranked, 5)
        + RankingMetrics.ReciprocalRank(ranked)
        + RankingMetrics.PrecisionAt(ranked, 5)
        + RankingMetrics.RecallAt(ranked, 6, 5)
        + RankingMetrics.HitAt(ranked, 5)
        + RankingMetrics.AveragePrecision(ranked, 6);

    private static (double[] Ranked, double[] Judged) RankedAndJudged(JsonElement fixture)
    {
        JsonElement qrels = fixture.GetProperty("qrels");
        double[] ranked = fixture.GetProperty("ranked_items").EnumerateArray()
            .Select(item => Grade(qrels, item.GetString()!))
            .ToArray();
        double[] judged = qrels.EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
        return (ranked, judged);
    }

    private static double Grade(JsonElement qrels, string item) =>
        qrels.TryGetProperty(item, out JsonElement grade) ? grade.GetDouble() : 0.0;

    private static double Compute(string name, double[] ranked, double[] judged, int totalRelevant)
    {
        int at = name.IndexOf('@', StringComparison.Ordinal);
        string metric = at < 0 ? name : name[..at];
        int k = at < 0 ? int.MaxValue : int.Parse(name[(at + 1)..], CultureInfo.InvariantCulture);
        return metric switch
        {
            "ndcg_linear" => RankingMetrics.Ndcg(ranked, judged, k, NdcgGain.Linear),
            "ndcg_exp" => RankingMetrics.Ndcg(ranked, judged, k, NdcgGain.Exponential),
            "mrr" => RankingMetrics.ReciprocalRank(ranked, k),
            "precision" => RankingMetrics.PrecisionAt(ranked, k),
            "recall" => RankingMetrics.RecallAt(ranked, totalRelevant, k),
            "hit_rate" => RankingMetrics.HitAt(ranked, k),
            "average_precision" => RankingMetrics.AveragePrecision(ranked, totalRelevant),
            "num_relevant" => totalRelevant,
            "num_retrieved" => ranked.Length,
            _ => throw new InvalidOperationException($"Unknown fixture metric '{name}'."),
        };
    }

    private static (NdcgGain Gain, int K) ParseNdcgKey(string name)
    {
        int at = name.IndexOf('@', StringComparison.Ordinal);
        string metric = at < 0 ? name : name[..at];
        int k = at < 0 ? int.MaxValue : int.Parse(name[(at + 1)..], CultureInfo.InvariantCulture);
        NdcgGain gain = metric switch
        {
            "ndcg_linear" => NdcgGain.Linear,
            "ndcg_exp" => NdcgGain.Exponential,
            _ => throw new InvalidOperationException($"Unknown sklearn fixture metric '{name}'."),
        };
        return (gain, k);
    }

    private static double[] RandomGrades(Random random, int length)
    {
        var grades = new double[length];
        for (int i = 0; i < length; i++)
        {
            grades[i] = random.Next(0, 4);
        }

        return grades;
    }

    private static double[] RandomScores(Random random, int length)
    {
        var scores = new double[length];
        for (int i = 0; i < length; i++)
        {
            scores[i] = random.Next(0, 5) - 2.0; // few distinct values: many ties, some negative
        }

        return scores;
    }

    private static int RandomLength(Random random, int iteration) => (iteration % 20) switch
    {
        0 => 0,
        1 => random.Next(33, 400), // selection falls back to sorting, pooled buffers
        _ => random.Next(1, 80),
    };

    private static int RandomCutoff(Random random, int length) => random.Next(0, 6) switch
    {
        0 => int.MaxValue,
        1 => length + random.Next(1, 5), // k > n
        2 => Math.Max(1, length),
        _ => random.Next(1, 40),
    };

    private static double[] RandomReferenceGrades(Random random, int length)
    {
        var grades = new double[length];
        int style = random.Next(0, 4);
        for (int i = 0; i < length; i++)
        {
            grades[i] = style switch
            {
                0 => 0.0, // all zero
                1 => random.NextDouble() * 4.0, // continuous grades, no ties
                _ => random.Next(0, 10) < 7 ? 0.0 : random.Next(1, 4),
            };
        }

        return grades;
    }

    private static double ReferenceGain(double grade, NdcgGain gain) =>
        gain == NdcgGain.Linear ? grade : Math.Pow(2.0, grade) - 1.0;

    private static double ReferenceDiscount(int zeroBasedRank) => 1.0 / Math.Log2(zeroBasedRank + 2);

    private static double ReferenceNdcg(double[] ranked, double[] judged, int k, NdcgGain gain)
    {
        if (ranked.Length == 0)
        {
            return 0.0;
        }

        double[] ideal = [.. judged.OrderByDescending(g => g)];
        double dcg = 0.0;
        for (int i = 0; i < Math.Min(k, ranked.Length); i++)
        {
            dcg += ReferenceGain(ranked[i], gain) * ReferenceDiscount(i);
        }

        double idcg = 0.0;
        for (int i = 0; i < Math.Min(k, ideal.Length); i++)
        {
            idcg += ReferenceGain(ideal[i], gain) * ReferenceDiscount(i);
        }

        return idcg == 0.0 ? 0.0 : Math.Min(1.0, dcg / idcg);
    }

    private static bool ReferenceJudgedCoversRanked(double[] ranked, double[] judged, int k)
    {
        double[] top = [.. ranked.Take(k).OrderByDescending(g => g)];
        double[] ideal = [.. judged.OrderByDescending(g => g)];
        for (int i = 0; i < top.Length; i++)
        {
            if (top[i] > (i < ideal.Length ? ideal[i] : 0.0))
            {
                return false;
            }
        }

        return true;
    }

    private static double ReferenceNdcgWithTies(double[] scores, double[] relevances, int k, NdcgGain gain)
    {
        if (scores.Length == 0)
        {
            return 0.0;
        }

        int[] order = [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i])];
        int cutoff = Math.Min(k, scores.Length);
        double dcg = 0.0;
        int start = 0;
        while (start < cutoff)
        {
            int end = start;
            double groupGain = 0.0;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                groupGain += ReferenceGain(relevances[order[end]], gain);
                end++;
            }

            double discountSum = 0.0;
            for (int rank = start; rank < Math.Min(end, cutoff); rank++)
            {
                discountSum += ReferenceDiscount(rank);
            }

            dcg += groupGain / (end - start) * discountSum;
            start = end;
        }

        double[] ideal = [.. relevances.Select(g => ReferenceGain(g, gain)).OrderByDescending(g => g)];
        double idcg = 0.0;
        for (int i = 0; i < cutoff; i++)
        {
            idcg += ideal[i] * ReferenceDiscount(i);
        }

        return idcg == 0.0 ? 0.0 : Math.Min(1.0, dcg / idcg);
    }

    private static void ShuffleTogether(double[] a, double[] b, Random random)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
            (b[i], b[j]) = (b[j], b[i]);
        }
    }
}
