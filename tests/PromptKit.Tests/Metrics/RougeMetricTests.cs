using System.Text;
using System.Text.Json;

namespace PromptKit.Tests.Metrics;

public sealed class RougeMetricTests
{
    private static readonly RougeMetric Plain = new();
    private static readonly RougeMetric Stemming = new(new RougeOptions { UseStemmer = true });

    private static readonly (RougeType Type, string Name)[] TypeNames =
    [
        (RougeType.Rouge1, "rouge1"),
        (RougeType.Rouge2, "rouge2"),
        (RougeType.RougeL, "rougeL"),
        (RougeType.RougeLsum, "rougeLsum"),
    ];

    private static readonly string[] Words =
    [
        "the", "cat", "sat", "on", "mat", "running", "runs", "ran", "connection", "connected", "happily", "happiness",
        "generalization", "teacher", "Quickly", "slowly", "sky", "skies", "dying", "1990s", "x86", "caf\u00e9", "Stra\u00dfe",
        "\u0130stanbul", "\u212Aelvin", "don't", "e-mail", "ponies", "agreed", "feed", "controlling", "a", "an",
    ];

    private static readonly string[] Separators = [" ", " ", " ", "  ", ", ", ". ", "\n", "\n\n", "\t", "!\n", " \u00a0"];

    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public void Score_FixtureCase_MatchesRougeScore(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string reference = MetricFixtures.References(textCase)[0];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        JsonElement rouge = textCase.GetProperty("rouge");

        RougeResult plain = Plain.Score(reference, hypothesis);
        RougeResult stemmed = Stemming.Score(reference, hypothesis);

        AssertMatches(plain, rouge.GetProperty("no_stemmer"), $"{id} no_stemmer");
        AssertMatches(stemmed, rouge.GetProperty("stemmer"), $"{id} stemmer");
    }

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public void ScoreSingleType_FixtureCase_MatchesRougeScore(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string reference = MetricFixtures.References(textCase)[0];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        JsonElement rouge = textCase.GetProperty("rouge");

        foreach ((RougeType type, string name) in TypeNames)
        {
            RougeScore plain = Plain.Score(type, reference, hypothesis);
            RougeScore stemmed = Stemming.Score(type, reference, hypothesis);

            AssertMatches(plain, rouge.GetProperty("no_stemmer").GetProperty(name), $"{id} no_stemmer {name}");
            AssertMatches(stemmed, rouge.GetProperty("stemmer").GetProperty(name), $"{id} stemmer {name}");
        }
    }

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public void ScoreMulti_FixtureCase_MatchesRougeScore(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string[] references = MetricFixtures.References(textCase);
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        if (!textCase.TryGetProperty("rouge_multi", out JsonElement multi))
        {
            // Fixtures hold score_multi only for >= 2 references; with one it must equal score.
            references.Should().HaveCount(1);
            Plain.ScoreMulti(references, hypothesis).ToString().Should().Be(Plain.Score(references[0], hypothesis).ToString());
            return;
        }

        RougeResult plain = Plain.ScoreMulti(references, hypothesis);
        RougeResult stemmed = Stemming.ScoreMulti(references, hypothesis);

        AssertMatches(plain, multi.GetProperty("no_stemmer"), $"{id} multi no_stemmer");
        AssertMatches(stemmed, multi.GetProperty("stemmer"), $"{id} multi stemmer");
        foreach ((RougeType type, string name) in TypeNames)
        {
            AssertMatches(
                Stemming.ScoreMulti(type, references, hypothesis),
                multi.GetProperty("stemmer").GetProperty(name),
                $"{id} multi stemmer {name} single-type");
        }
    }

    [Fact]
    public void Fixtures_RougeCases_AllPresent()
    {
        int single = MetricFixtures.TextCases.Count(e => e.TryGetProperty("rouge", out _));
        int multi = MetricFixtures.TextCases.Count(e => e.TryGetProperty("rouge_multi", out _));

        single.Should().Be(317);
        multi.Should().Be(20);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("", "The cat sat.")]
    [InlineData("The cat sat.", "")]
    [InlineData("   \n\t", "The cat sat.")]
    [InlineData("The cat sat.", "?!... \u00e9\u00e8 \u4eca\u5929")]
    [InlineData("\n\n", "\n")]
    public void Score_NoTokensOnEitherSide_AllZero(string reference, string prediction)
    {
        RougeResult result = Stemming.Score(reference, prediction);

        foreach (RougeType type in result.Types)
        {
            result[type].Should().Be(new RougeScore(0, 0, 0), because: type.ToString());
        }
    }

    [Fact]
    public void Score_OnlyDefaultTypes_ComputesAllFourInOrder()
    {
        RougeResult result = Plain.Score("a b", "a b");

        result.Types.Should().Equal(RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum);
        Plain.Types.Should().Equal(result.Types);
        Plain.UseStemmer.Should().BeFalse();
        Stemming.UseStemmer.Should().BeTrue();
    }

    [Fact]
    public void Score_SelectedTypes_ComputesOnlyThoseWithoutDuplicates()
    {
        var metric = new RougeMetric(new RougeOptions
        {
            Types = [RougeType.RougeLsum, RougeType.Rouge1, RougeType.RougeLsum],
        });

        RougeResult result = metric.Score("the cat sat", "the cat");

        result.Types.Should().Equal(RougeType.RougeLsum, RougeType.Rouge1);
        result.Rouge2.Should().BeNull();
        result.RougeL.Should().BeNull();
        result.Rouge1!.Value.Recall.Should().Be(2.0 / 3.0);
        result.RougeLsum!.Value.Precision.Should().Be(1.0);
    }

    [Fact]
    public void Score_OptionsChangedAfterConstruction_KeepsOriginalConfiguration()
    {
        var options = new RougeOptions { Types = [RougeType.Rouge1] };
        var metric = new RougeMetric(options);

        options.UseStemmer = true;
        options.Types = [RougeType.Rouge2];

        metric.UseStemmer.Should().BeFalse();
        metric.Types.Should().Equal(RougeType.Rouge1);
    }

    [Fact]
    public void Score_HandComputedExample_MatchesFormulas()
    {
        // rouge-score's README example. Unigram overlap: the x2, quick, brown, jumps, dog = 6 of 9 (target) and 8
        // (prediction); bigram overlap: "the quick", "quick brown" = 2 of 8 and 7; LCS "the quick brown jumps the" = 5.
        RougeResult result = Plain.Score("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log.");

        result.Rouge1.Should().Be(new RougeScore(6.0 / 8.0, 6.0 / 9.0, F(6.0 / 8.0, 6.0 / 9.0)));
        result.Rouge2.Should().Be(new RougeScore(2.0 / 7.0, 2.0 / 8.0, F(2.0 / 7.0, 2.0 / 8.0)));
        result.RougeL.Should().Be(new RougeScore(5.0 / 8.0, 5.0 / 9.0, F(5.0 / 8.0, 5.0 / 9.0)));
        result.RougeLsum.Should().Be(result.RougeL);
    }

    [Fact]
    public void Score_RepeatedTokens_ClipsNgramCounts()
    {
        RougeScore score = Plain.Score(RougeType.Rouge1, "the cat", "the the the cat");

        score.Precision.Should().Be(2.0 / 4.0);
        score.Recall.Should().Be(1.0);
    }

    [Fact]
    public void Score_RougeLsumUnionLcs_CountsEachTokenOnce()
    {
        // The ROUGE paper's summary-level LCS example: r = w1 w2 w3 w4 w5, c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5.
        // Union LCS of r with {c1, c2} = w1 w2 w3 w5 -> 4 hits; recall 4/5, precision 4/10.
        RougeScore score = Plain.Score(RougeType.RougeLsum, "w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5");

        score.Recall.Should().Be(4.0 / 5.0);
        score.Precision.Should().Be(4.0 / 10.0);
    }

    [Fact]
    public void Score_RougeLVersusLsum_OnlyLsumUsesSentenceBreaks()
    {
        const string reference = "a b c\nd e f";
        const string prediction = "d e f\na b c";

        RougeScore l = Plain.Score(RougeType.RougeL, reference, prediction);
        RougeScore lsum = Plain.Score(RougeType.RougeLsum, reference, prediction);

        l.FMeasure.Should().Be(0.5);
        lsum.FMeasure.Should().Be(1.0);
    }

    [Fact]
    public void Score_NonAsciiCharacters_SplitOrVanishAsInPython()
    {
        // Python: 'İstanbul'.lower() == 'i̇stanbul' -> tokens 'i', 'stanbul'; the Kelvin sign lowercases to 'k'.
        RougeScore dotted = Plain.Score(RougeType.Rouge1, "i stanbul", "\u0130stanbul");
        RougeScore kelvin = Plain.Score(RougeType.Rouge1, "kelvin", "\u212Aelvin");
        RougeScore sharp = Plain.Score(RougeType.Rouge1, "stra e", "Stra\u00dfe");

        dotted.FMeasure.Should().Be(1.0);
        kelvin.FMeasure.Should().Be(1.0);
        sharp.FMeasure.Should().Be(1.0);
    }

    [Fact]
    public void Score_Stemmer_OnlyStemsTokensLongerThanThree()
    {
        // 'runs' (4) stems to 'run'; 'ies' (3) is kept as is although the stemmer would map it to 'i'.
        Stemming.Score(RougeType.Rouge1, "run", "runs").FMeasure.Should().Be(1.0);
        Stemming.Score(RougeType.Rouge1, "i", "ies").FMeasure.Should().Be(0.0);
        Plain.Score(RougeType.Rouge1, "run", "runs").FMeasure.Should().Be(0.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ScoreNgrams_OrderOneOrTwo_EqualsRouge1AndRouge2(int order)
    {
        RougeType type = order == 1 ? RougeType.Rouge1 : RougeType.Rouge2;

        foreach (JsonElement textCase in MetricFixtures.TextCases)
        {
            string reference = MetricFixtures.References(textCase)[0];
            string hypothesis = textCase.GetProperty("hypothesis").GetString()!;

            Stemming.ScoreNgrams(order, reference, hypothesis)
                .Should().Be(Stemming.Score(type, reference, hypothesis), because: textCase.GetProperty("id").GetString());
        }
    }

    [Fact]
    public void ScoreNgrams_OrderThree_CountsClippedTrigrams()
    {
        // Reference trigrams: (a b c) x2, (b c a), (c a b) = 4; prediction: (a b c), (b c d) = 2; overlap 1.
        RougeScore score = Plain.ScoreNgrams(3, "a b c a b c", "a b c d");

        score.Precision.Should().Be(1.0 / 2.0);
        score.Recall.Should().Be(1.0 / 4.0);
        score.FMeasure.Should().Be(2 * 0.5 * 0.25 / 0.75);
    }

    [Fact]
    public void ScoreNgrams_TextShorterThanOrder_ReturnsZero()
    {
        RougeScore score = Plain.ScoreNgrams(4, "a b c", "a b c");

        score.Should().Be(new RougeScore(0, 0, 0));
    }

    [Fact]
    public void ScoreMulti_TieOnFMeasure_PicksFirstReference()
    {
        // Both references give F = 2/3 on ROUGE-1 (P = 1, R = 1/2 and P = 1/2, R = 1); the first one wins.
        string[] references = ["a b c x", "a"];

        RougeScore best = Plain.ScoreMulti(RougeType.Rouge1, references, "a b");

        best.Should().Be(Plain.Score(RougeType.Rouge1, references[0], "a b"));
        Plain.Score(RougeType.Rouge1, references[1], "a b").FMeasure.Should().Be(best.FMeasure);
    }

    [Fact]
    public void ScoreMulti_DifferentBestReferencePerType_PicksEachIndependently()
    {
        // ROUGE-1 is best on the first reference (F = 1), ROUGE-2 only overlaps with the second ("a b").
        string[] references = ["c b a", "a b x x x x x x x"];

        RougeResult result = Plain.ScoreMulti(references, "a b c");

        result.Rouge1.Should().Be(new RougeScore(1, 1, 1));
        result.Rouge2.Should().Be(Plain.Score(RougeType.Rouge2, references[1], "a b c"));
        result.Rouge2!.Value.Precision.Should().Be(0.5);
    }

    [Fact]
    public void Score_RandomTexts_ScoresWithinUnitInterval()
    {
        var random = new Random(1234);

        for (int i = 0; i < 300; i++)
        {
            string reference = RandomText(random);
            string prediction = RandomText(random);
            RougeResult result = (i % 2 == 0 ? Plain : Stemming).Score(reference, prediction);

            foreach (RougeType type in result.Types)
            {
                RougeScore score = result[type];
                score.Precision.Should().BeInRange(0, 1);
                score.Recall.Should().BeInRange(0, 1);
                score.FMeasure.Should().BeInRange(0, 1);
                score.FMeasure.Should().BeLessThanOrEqualTo(Math.Max(score.Precision, score.Recall) + 1e-15);
            }
        }
    }

    [Fact]
    public void Score_IdenticalTextWithTokens_ReturnsOneForEveryType()
    {
        var random = new Random(99);

        for (int i = 0; i < 200; i++)
        {
            string text = RandomText(random) + " word one";
            RougeResult result = (i % 2 == 0 ? Plain : Stemming).Score(text, text);

            foreach (RougeType type in result.Types)
            {
                result[type].Should().Be(new RougeScore(1, 1, 1), because: $"{type} of {text}");
            }
        }
    }

    [Fact]
    public void Score_SwappedArguments_SwapsNgramPrecisionAndRecall()
    {
        var random = new Random(4321);

        for (int i = 0; i < 200; i++)
        {
            string a = RandomText(random);
            string b = RandomText(random);
            RougeMetric metric = i % 2 == 0 ? Plain : Stemming;

            foreach (RougeType type in new[] { RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL })
            {
                RougeScore forward = metric.Score(type, a, b);
                RougeScore backward = metric.Score(type, b, a);

                backward.Precision.Should().Be(forward.Recall);
                backward.Recall.Should().Be(forward.Precision);
                backward.FMeasure.Should().BeApproximately(forward.FMeasure, 1e-15);
            }
        }
    }

    [Fact]
    public void Score_ConcurrentCalls_MatchSequentialResults()
    {
        var random = new Random(7);
        var pairs = Enumerable.Range(0, 200).Select(_ => (RandomText(random), RandomText(random))).ToArray();
        string[] expected = pairs.Select(p => Stemming.Score(p.Item1, p.Item2).ToString()).ToArray();
        string[] actual = new string[pairs.Length];

        Parallel.For(0, pairs.Length * 4, i =>
        {
            int k = i % pairs.Length;
            actual[k] = Stemming.Score(pairs[k].Item1, pairs[k].Item2).ToString();
        });

        actual.Should().Equal(expected);
    }

    [Fact]
    public void Score_LongTextThenShortText_ReusesBuffersCorrectly()
    {
        string longText = string.Join(' ', Enumerable.Range(0, 1500).Select(i => "w" + (i % 700)));

        RougeScore first = Plain.Score(RougeType.RougeLsum, longText, longText);
        RougeScore second = Plain.Score(RougeType.Rouge2, "a b c", "a b d");

        first.FMeasure.Should().Be(1.0);
        second.Should().Be(new RougeScore(0.5, 0.5, 0.5));
    }

    [Fact]
    public void Score_SingleTypeAfterWarmUp_AllocatesNothing()
    {
        const string reference = "The runners were running and the runner runs.\nA second line, with more words.";
        const string prediction = "The runner ran and runs!\nSecond line with words.";
        string[] references = [reference, "another reference text"];
        RougeType[] types = [RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum];
        foreach (RougeType type in types)
        {
            _ = Stemming.Score(type, reference, prediction);
            _ = Stemming.ScoreMulti(type, references, prediction);
        }

        _ = Stemming.ScoreNgrams(3, reference, prediction);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 20; i++)
        {
            foreach (RougeType type in types)
            {
                sum += Stemming.Score(type, reference, prediction).FMeasure;
                sum += Stemming.ScoreMulti(type, references, prediction).FMeasure;
            }

            sum += Stemming.ScoreNgrams(3, reference, prediction).FMeasure;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().BeGreaterThan(0);
        allocated.Should().Be(0);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsWithParamName()
    {
        Action act = () => _ = new RougeMetric(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_NullTypes_ThrowsArgumentException()
    {
        Action act = () => _ = new RougeMetric(new RougeOptions { Types = null! });

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*Types is null*");
    }

    [Fact]
    public void Constructor_EmptyTypes_ThrowsArgumentException()
    {
        Action act = () => _ = new RougeMetric(new RougeOptions { Types = [] });

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*Types is empty*");
    }

    [Fact]
    public void Constructor_UndefinedType_ThrowsNamingIndex()
    {
        Action act = () => _ = new RougeMetric(new RougeOptions { Types = [RougeType.Rouge1, (RougeType)42] });

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*Types[1] is 42*");
    }

    [Fact]
    public void Score_NullArguments_ThrowWithParamNames()
    {
        Action nullReference = () => Plain.Score(null!, "x");
        Action nullPrediction = () => Plain.Score("x", null!);
        Action typedNullReference = () => Plain.Score(RougeType.Rouge1, null!, "x");
        Action typedNullPrediction = () => Plain.Score(RougeType.Rouge1, "x", null!);

        nullReference.Should().Throw<ArgumentNullException>().WithParameterName("reference");
        nullPrediction.Should().Throw<ArgumentNullException>().WithParameterName("prediction");
        typedNullReference.Should().Throw<ArgumentNullException>().WithParameterName("reference");
        typedNullPrediction.Should().Throw<ArgumentNullException>().WithParameterName("prediction");
    }

    [Fact]
    public void Score_UndefinedType_ThrowsWithParamName()
    {
        Action act = () => Plain.Score((RougeType)(-1), "x", "x");

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ScoreNgrams_NonPositiveOrder_ThrowsWithParamName(int order)
    {
        Action act = () => Plain.ScoreNgrams(order, "x", "x");

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(order));
    }

    [Fact]
    public void ScoreNgrams_NullArguments_ThrowWithParamNames()
    {
        Action nullReference = () => Plain.ScoreNgrams(3, null!, "x");
        Action nullPrediction = () => Plain.ScoreNgrams(3, "x", null!);

        nullReference.Should().Throw<ArgumentNullException>().WithParameterName("reference");
        nullPrediction.Should().Throw<ArgumentNullException>().WithParameterName("prediction");
    }

    [Fact]
    public void ScoreMulti_NullArguments_ThrowWithParamNames()
    {
        Action nullReferences = () => Plain.ScoreMulti(null!, "x");
        Action nullPrediction = () => Plain.ScoreMulti(["x"], null!);
        Action typedNullReferences = () => Plain.ScoreMulti(RougeType.RougeL, null!, "x");
        Action typedNullPrediction = () => Plain.ScoreMulti(RougeType.RougeL, ["x"], null!);

        nullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        nullPrediction.Should().Throw<ArgumentNullException>().WithParameterName("prediction");
        typedNullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        typedNullPrediction.Should().Throw<ArgumentNullException>().WithParameterName("prediction");
    }

    [Fact]
    public void ScoreMulti_EmptyReferences_ThrowsArgumentException()
    {
        Action act = () => Plain.ScoreMulti([], "x");
        Action typed = () => Plain.ScoreMulti(RougeType.Rouge1, [], "x");

        act.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("*empty*");
        typed.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("*empty*");
    }

    [Fact]
    public void ScoreMulti_NullReferenceElement_ThrowsNamingIndex()
    {
        Action act = () => Plain.ScoreMulti(["a", null!], "x");

        act.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("references[1] is null*");
    }

    [Fact]
    public void ScoreMulti_UndefinedType_ThrowsWithParamName()
    {
        Action act = () => Plain.ScoreMulti((RougeType)4, ["x"], "x");

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    private static double F(double precision, double recall) => 2 * precision * recall / (precision + recall);

    private static void AssertMatches(RougeResult result, JsonElement expected, string because)
    {
        foreach ((RougeType type, string name) in TypeNames)
        {
            AssertMatches(result[type], expected.GetProperty(name), $"{because} {name}");
        }
    }

    private static void AssertMatches(RougeScore actual, JsonElement expected, string because)
    {
        actual.Precision.ShouldMatch(expected.GetProperty("precision").GetDouble(), because + " precision");
        actual.Recall.ShouldMatch(expected.GetProperty("recall").GetDouble(), because + " recall");
        actual.FMeasure.ShouldMatch(expected.GetProperty("fmeasure").GetDouble(), because + " fmeasure");
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        int length = random.Next(0, 25);
        for (int i = 0; i < length; i++)
        {
            builder.Append(Words[random.Next(Words.Length)]);
            builder.Append(Separators[random.Next(Separators.Length)]);
        }

        return builder.ToString();
    }
}
