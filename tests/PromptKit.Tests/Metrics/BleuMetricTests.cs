using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Metrics;

public sealed class BleuMetricTests
{
    public static TheoryData<string> BleuConfigurations => new() { "exp", "floor", "add-k", "none", "exp_lowercase" };

    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    public static TheoryData<string> CorpusCaseIds() => MetricFixtures.CorpusCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public void Score_FixtureCase_MatchesSacreBleuSentenceScoreForEveryConfiguration(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);

        foreach (string configuration in BleuConfigurations)
        {
            var metric = new BleuMetric(Options(configuration, effectiveOrder: true));

            BleuScore score = metric.Score(hypothesis, references);

            JsonElement expected = textCase.GetProperty("sentence_bleu").GetProperty(configuration);
            ShouldMatch(score, expected, $"{id} sentence_bleu.{configuration}");
            metric.ScoreValue(hypothesis, references).Should().Be(score.Score, $"{id} {configuration}: ScoreValue equals Score");
        }
    }

    [Theory]
    [MemberData(nameof(CorpusCaseIds))]
    public void ScoreCorpus_FixtureCase_MatchesSacreBleuCorpusScoreForEveryConfiguration(string id)
    {
        JsonElement corpusCase = MetricFixtures.Corpus(id);
        (string[] hypotheses, string?[][] streams) = CorpusInput(corpusCase);

        foreach (string configuration in BleuConfigurations)
        {
            var metric = new BleuMetric(Options(configuration, effectiveOrder: false));

            BleuScore score = metric.ScoreCorpus(hypotheses, streams);

            JsonElement expected = corpusCase.GetProperty("corpus_bleu").GetProperty(configuration);
            ShouldMatch(score, expected, $"{id} corpus_bleu.{configuration}");
        }
    }

    [Theory]
    [MemberData(nameof(CorpusCaseIds))]
    public void Accumulate_FixtureCorpus_SameAsScoreCorpusAndSignatureMatchesManifest(string id)
    {
        JsonElement corpusCase = MetricFixtures.Corpus(id);
        (string[] hypotheses, string?[][] streams) = CorpusInput(corpusCase);
        var metric = new BleuMetric(Options("exp", effectiveOrder: false));
        var statistics = new BleuStatistics();

        for (int i = 0; i < hypotheses.Length; i++)
        {
            string[] references = streams.Select(s => s[i]).OfType<string>().ToArray();
            metric.Accumulate(hypotheses[i], references, statistics);
        }

        BleuScore expected = metric.ScoreCorpus(hypotheses, streams);
        BleuScore actual = metric.Score(statistics);
        actual.Score.Should().Be(expected.Score);
        actual.Counts.Should().Equal(expected.Counts);
        statistics.SegmentCount.Should().Be(hypotheses.Length);
        int maxReferences = corpusCase.GetProperty("n_references_max").GetInt32();
        string key = $"corpus_bleu.exp.nrefs={maxReferences}";
        metric.GetSignature(statistics.ReferenceCount).Should().Be(ManifestSignature(key));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("floor")]
    [InlineData("add-k")]
    [InlineData("none")]
    [InlineData("exp_lowercase")]
    public void Signature_EachConfiguration_MatchesManifest(string configuration)
    {
        var sentence = new BleuMetric(Options(configuration, effectiveOrder: true));
        var corpus = new BleuMetric(Options(configuration, effectiveOrder: false));

        string sentenceSignature = sentence.Signature;
        string corpusSingle = corpus.GetSignature(1);
        string corpusVariable = corpus.GetSignature(null);

        sentenceSignature.Should().Be(ManifestSignature($"sentence_bleu.{configuration}"));
        corpusSingle.Should().Be(ManifestSignature($"corpus_bleu.{configuration}.nrefs=1"));
        corpusVariable.Should().Be(ManifestSignature($"corpus_bleu.{configuration}.nrefs=4"));
    }

    [Fact]
    public void GetSignature_OtherTokenizersAndReferenceCount_FollowSacreBleuFormat()
    {
        var intl = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.International, Smoothing = BleuSmoothing.Floor, SmoothValue = 0.25 });
        var none = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.None, Smoothing = BleuSmoothing.AddK, SmoothValue = 2 });

        string intlSignature = intl.GetSignature(3);
        string noneSignature = none.Signature;

        intlSignature.Should().Be("nrefs:3|case:mixed|eff:no|tok:intl|smooth:floor[0.25]|version:2.6.0");
        noneSignature.Should().Be("nrefs:1|case:mixed|eff:no|tok:none|smooth:add-k[2.00]|version:2.6.0");
    }

    [Fact]
    public void ToString_CorpusScore_FormatsAsSacreBleu()
    {
        JsonElement corpusCase = MetricFixtures.Corpus("c01");
        (string[] hypotheses, string?[][] streams) = CorpusInput(corpusCase);
        var metric = new BleuMetric();

        string text = metric.ScoreCorpus(hypotheses, streams).ToString();

        // sacrebleu's BLEUScore repr for the same corpus (values from corpus_cases.jsonl c01, exp).
        text.Should().Be("BLEU = 50.46 87.6/55.1/41.4/32.4 (BP = 1.000 ratio = 1.007 hyp_len = 10059 ref_len = 9989)");
    }

    // sacrebleu test/test_bleu.py (test_corpus_bleu): the README example with two reference streams.
    [Theory]
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.Exponential, 48.530827)]
    [InlineData(BleuTokenizer.None, BleuSmoothing.Exponential, 49.1919566)]
    [InlineData(BleuTokenizer.International, BleuSmoothing.Exponential, 43.91623493)]
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.None, 48.530827)]
    public void ScoreCorpus_SacreBleuTestSuiteExample_MatchesPublishedScore(BleuTokenizer tokenizer, BleuSmoothing smoothing, double expected)
    {
        var metric = new BleuMetric(new BleuOptions { Tokenizer = tokenizer, Smoothing = smoothing });
        string[] hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
        string[][] streams =
        [
            ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
            ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
        ];

        double score = metric.ScoreCorpus(hypotheses, streams).Score;
        double empty = metric.ScoreCorpus(["", "", ""], streams).Score;

        score.Should().BeApproximately(expected, 1e-6);
        empty.Should().Be(0.0);
    }

    // sacrebleu test/test_sentence_bleu.py (issue #98 example), effective order on; published to 1e-3.
    [Theory]
    [InlineData(BleuSmoothing.Exponential, null, BleuTokenizer.Mteval13a, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizer.Mteval13a, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizer.Mteval13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizer.Mteval13a, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizer.Mteval13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizer.Mteval13a, 21.389)]
    [InlineData(BleuSmoothing.Exponential, null, BleuTokenizer.None, 7.347)]
    [InlineData(BleuSmoothing.Exponential, null, BleuTokenizer.International, 8.493)]
    public void Score_SacreBleuSentenceTestSuite_MatchesPublishedScore(BleuSmoothing smoothing, double? smoothValue, BleuTokenizer tokenizer, double expected)
    {
        var metric = new BleuMetric(new BleuOptions { Smoothing = smoothing, SmoothValue = smoothValue, Tokenizer = tokenizer, EffectiveOrder = true });

        double score = metric.ScoreValue(
            "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;", ["producţia de zahăr brut se exprimă în zahăr alb;"]);
        double zero = metric.ScoreValue("this is a cat", ["okay thanks"]);

        score.Should().BeApproximately(expected, 1e-3);
        zero.Should().Be(0.0);
    }

    // sacrebleu test/test_bleu.py: raw_corpus_bleu = corpus BLEU with tokenize 'none', floor smoothing and effective order.
    // The first case was 0.003799178428257963 in sacrebleu 1.x; since 2.0 compute_bleu returns 0 when no n-gram
    // matches (issue #141), which the fixtures' no_overlap records (sacrebleu 2.6.0) confirm.
    [Theory]
    [InlineData(new[] { "this is a test", "another test" }, new[] { "ref1", "ref2" }, 0.01, 0.0)]
    [InlineData(new[] { "this is a test" }, new[] { "this is a test" }, 0.01, 1.0)]
    [InlineData(new[] { "this is a fest" }, new[] { "this is a test" }, 0.01, 0.223606797749979)]
    [InlineData(new[] { "test" }, new[] { "a test" }, 0.01, 0.3678794411714425)]
    [InlineData(new[] { "a test" }, new[] { "a test" }, 0.01, 1.0)]
    [InlineData(new[] { "a little test" }, new[] { "a test" }, 0.01, 0.03218297948685433)]
    [InlineData(new[] { "am I am a character sequence" }, new[] { "I am a symbol string sequence a a" }, 0.1, 0.1555722182)]
    [InlineData(new[] { "am I am a character sequence" }, new[] { "I am a symbol string sequence a a" }, 0.0, 0.0)]
    public void ScoreCorpus_SacreBleuRawCorpusBleuCases_MatchPublishedScore(string[] hypotheses, string[] references, double floor, double expected)
    {
        var metric = new BleuMetric(new BleuOptions
        {
            Tokenizer = BleuTokenizer.None, Smoothing = BleuSmoothing.Floor, SmoothValue = floor, EffectiveOrder = true,
        });

        double score = metric.ScoreCorpus(hypotheses, [references]).Score / 100;

        score.Should().BeApproximately(expected, 1e-8);
    }

    [Fact]
    public void Score_SacreBleuStatisticsCase_CountsAndTotalsMatch()
    {
        // sacrebleu test/test_bleu.py test_statistics.
        var metric = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.None });

        BleuScore score = metric.Score("am I am a character sequence", ["I am a symbol string sequence a a"]);

        score.Counts.Should().Equal(4, 2, 1, 0);
        score.Totals.Should().Equal(6, 5, 4, 3);
    }

    // sacrebleu test/test_bleu.py test_scoring and test_degenerate_statistics (compute_bleu on given statistics).
    [Theory]
    [InlineData(new long[] { 9, 7, 5, 3 }, new long[] { 10, 8, 6, 4 }, 11, 11, BleuSmoothing.None, 0.0, 0.8375922397)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 4, 4, 2, 1 }, 0, 1, BleuSmoothing.Floor, 0.0, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 10, 11, 12, 0 }, 14, 10, BleuSmoothing.Floor, 0.0, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, BleuSmoothing.Floor, 0.0, 0.0)]
    [InlineData(new long[] { 6, 5, 4, 0 }, new long[] { 6, 5, 4, 3 }, 6, 6, BleuSmoothing.Floor, 0.0, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 0, 0, BleuSmoothing.Floor, 0.1, 0.0)]
    [InlineData(new long[] { 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0 }, 1, 5, BleuSmoothing.Floor, 0.01, 0.0)]
    public void Compute_SacreBleuStatisticsCases_MatchPublishedScore(
        long[] counts, long[] totals, long systemLength, long referenceLength, BleuSmoothing smoothing, double smoothValue, double expected)
    {
        double[] buffer = new double[12];

        double score = BleuMetric.Compute(
            counts, totals, systemLength, referenceLength, smoothing, smoothValue, effectiveOrder: false,
            buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(8, 4), out _) / 100;

        score.Should().BeApproximately(expected, 1e-8);
    }

    [Fact]
    public void Score_MultipleReferences_UsesMaxCountsAndClosestShorterLength()
    {
        // Hypothesis of 4 tokens; references of 3 and 5 tokens are equally close: sacrebleu keeps the shorter (3).
        var metric = new BleuMetric(new BleuOptions { EffectiveOrder = true });

        BleuScore score = metric.Score("the the cat sat", ["the cat sat", "the the dog sat on"]);

        score.ReferenceLength.Should().Be(3);
        score.SystemLength.Should().Be(4);
        score.Counts[0].Should().Be(4, "'the' is clipped at 2 (max over references), cat and sat match once");
        score.Counts[1].Should().Be(3, "'the the' is in the second reference, 'the cat' and 'cat sat' in the first");
    }

    [Fact]
    public void Score_EmptyHypothesis_ReturnsZeroWithZeroBrevityPenalty()
    {
        var metric = new BleuMetric();

        BleuScore score = metric.Score(string.Empty, ["a reference"]);

        score.Score.Should().Be(0.0);
        score.BrevityPenalty.Should().Be(0.0);
        score.SystemLength.Should().Be(0);
        score.ReferenceLength.Should().Be(2);
    }

    [Fact]
    public void Score_IdenticalNonTrivialText_IsHundred()
    {
        var generator = Gen.Int[1, 40].SelectMany(n => Gen.String[Gen.Char["abcdefgh"], 1, 6].Array[n])
            .Select(words => string.Join(' ', words));
        var metrics = new[]
        {
            new BleuMetric(new BleuOptions { EffectiveOrder = true }),
            new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.International, EffectiveOrder = true }),
            new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.None, Smoothing = BleuSmoothing.Floor, EffectiveOrder = true }),
        };

        generator.SampleSeeded(text =>
        {
            foreach (BleuMetric metric in metrics)
            {
                metric.ScoreValue(text, [text]).Should().BeApproximately(100.0, 1e-9, text);
            }
        }, iterations: 300, seed: 1);
    }

    [Fact]
    public void Score_RandomText_StaysWithinZeroAndHundred()
    {
        var word = Gen.String[Gen.Char["abc.,-&;!?1 "], 0, 8];
        var generator = Gen.Select(word.Array[0, 30], word.Array[0, 30], Gen.Enum<BleuSmoothing>(), Gen.Bool);
        generator.SampleSeeded(sample =>
        {
            var (hypothesis, reference, smoothing, effective) = sample;
            var metric = new BleuMetric(new BleuOptions { Smoothing = smoothing, EffectiveOrder = effective });
            BleuScore score = metric.Score(string.Join(' ', hypothesis), [string.Join(' ', reference), "c a b"]);
            score.Score.Should().BeInRange(0.0, 100.0 + 1e-9);
            score.Precisions.Should().OnlyContain(p => p >= 0.0 && p <= 100.0 + 1e-9);
        }, iterations: 500, seed: 2);
    }

    [Fact]
    public void ScoreValue_Span_SameAsStringOverload()
    {
        var metric = new BleuMetric(new BleuOptions { EffectiveOrder = true });

        double fromSpan = metric.ScoreValue("The cat sat on the mat.".AsSpan(), "The cat is on the mat.".AsSpan());

        fromSpan.Should().Be(metric.Score("The cat sat on the mat.", ["The cat is on the mat."]).Score);
    }

    [Fact]
    public void ScoreValue_AfterWarmUp_DoesNotAllocate()
    {
        var metric = new BleuMetric(new BleuOptions { EffectiveOrder = true });
        string[] references = ["The quick brown fox jumps over the lazy dog, again.", "A quick brown dog jumps over the fox."];
        const string hypothesis = "The quick brown fox jumped over the lazy dog.";
        metric.ScoreValue(hypothesis, references);

        long before = GC.GetAllocatedBytesForCurrentThread();
        double total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += metric.ScoreValue(hypothesis, references);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        total.Should().BeGreaterThan(0);
    }

    [Fact]
    public void ScoreValue_ConcurrentCallers_SameResultsAsSequential()
    {
        var metric = new BleuMetric(new BleuOptions { EffectiveOrder = true });
        (string Hypothesis, string[] References)[] cases = [.. MetricFixtures.TextCases
            .Select(e => (e.GetProperty("hypothesis").GetString()!, MetricFixtures.References(e)))];
        double[] sequential = [.. cases.Select(c => metric.ScoreValue(c.Hypothesis, c.References))];
        double[] concurrent = new double[cases.Length * 4];

        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            concurrent[i] = metric.ScoreValue(cases[i % cases.Length].Hypothesis, cases[i % cases.Length].References));

        for (int i = 0; i < concurrent.Length; i++)
        {
            concurrent[i].Should().Be(sequential[i % cases.Length]);
        }
    }

    [Fact]
    public void Constructor_NullOptions_Throws()
    {
        Action act = () => _ = new BleuMetric(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var options = new BleuOptions { MaxNgramOrder = 0, SmoothValue = double.NaN, Tokenizer = (BleuTokenizer)42, Smoothing = (BleuSmoothing)9 };

        Action act = () => _ = new BleuMetric(options);

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().HaveCount(4);
        string.Join("\n", failures).Should().ContainAll("MaxNgramOrder", "SmoothValue", "Tokenizer", "Smoothing");
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadSmoothValue_Throws(double value)
    {
        Action act = () => _ = new BleuMetric(new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothValue = value });

        act.Should().Throw<OptionsValidationException>().WithMessage("*SmoothValue*");
    }

    [Fact]
    public void Score_NullHypothesis_Throws()
    {
        var metric = new BleuMetric();

        Action act = () => metric.Score(null!, ["x"]);

        act.Should().Throw<ArgumentNullException>().WithParameterName("hypothesis");
    }

    [Fact]
    public void Score_NullReferences_Throws()
    {
        var metric = new BleuMetric();

        Action act = () => metric.Score("x", null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("references");
    }

    [Fact]
    public void Score_EmptyReferenceList_Throws()
    {
        var metric = new BleuMetric();

        Action act = () => metric.Score("x", []);

        act.Should().Throw<ArgumentException>().WithParameterName("references");
    }

    [Fact]
    public void Score_NullReferenceItem_ThrowsNamingIndex()
    {
        var metric = new BleuMetric();

        Action act = () => metric.Score("x", ["a", null!]);

        act.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("Reference 1 of 2 is null*");
    }

    [Fact]
    public void ScoreValue_NullArguments_Throw()
    {
        var metric = new BleuMetric();

        Action nullHypothesis = () => metric.ScoreValue(null!, ["x"]);
        Action nullReferences = () => metric.ScoreValue("x", null!);
        Action nullItem = () => metric.ScoreValue("x", [null!]);

        nullHypothesis.Should().Throw<ArgumentNullException>().WithParameterName("hypothesis");
        nullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        nullItem.Should().Throw<ArgumentException>().WithParameterName("references");
    }

    [Fact]
    public void Accumulate_InvalidArguments_Throw()
    {
        var metric = new BleuMetric();

        Action nullHypothesis = () => metric.Accumulate(null!, ["x"], new BleuStatistics());
        Action nullReferences = () => metric.Accumulate("x", null!, new BleuStatistics());
        Action nullStatistics = () => metric.Accumulate("x", ["x"], null!);
        Action wrongOrder = () => metric.Accumulate("x", ["x"], new BleuStatistics(3));

        nullHypothesis.Should().Throw<ArgumentNullException>().WithParameterName("hypothesis");
        nullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        nullStatistics.Should().Throw<ArgumentNullException>().WithParameterName("statistics");
        wrongOrder.Should().Throw<ArgumentException>().WithParameterName("statistics");
    }

    [Fact]
    public void ScoreStatistics_InvalidArguments_Throw()
    {
        var metric = new BleuMetric();

        Action nullStatistics = () => metric.Score((BleuStatistics)null!);
        Action wrongOrder = () => metric.Score(new BleuStatistics(2));

        nullStatistics.Should().Throw<ArgumentNullException>().WithParameterName("statistics");
        wrongOrder.Should().Throw<ArgumentException>().WithParameterName("statistics");
    }

    [Fact]
    public void ScoreStatistics_NoSegment_ReturnsZero()
    {
        var metric = new BleuMetric();

        BleuScore score = metric.Score(new BleuStatistics());

        score.Score.Should().Be(0.0);
        score.BrevityPenalty.Should().Be(1.0);
    }

    [Fact]
    public void ScoreCorpus_InvalidArguments_Throw()
    {
        var metric = new BleuMetric();
        string[] hypotheses = ["a", "b"];

        Action nullHypotheses = () => metric.ScoreCorpus(null!, [["a"]]);
        Action nullStreams = () => metric.ScoreCorpus(hypotheses, null!);
        Action emptyHypotheses = () => metric.ScoreCorpus([], [[]]);
        Action nullHypothesisItem = () => metric.ScoreCorpus(["a", null!], [["a", "b"]]);
        Action noStreams = () => metric.ScoreCorpus(hypotheses, []);
        Action nullStream = () => metric.ScoreCorpus(hypotheses, [null!]);
        Action lengthMismatch = () => metric.ScoreCorpus(hypotheses, [["a"]]);
        Action segmentWithoutReference = () => metric.ScoreCorpus(hypotheses, [["a", null], [null, null]]);

        nullHypotheses.Should().Throw<ArgumentNullException>().WithParameterName("hypotheses");
        nullStreams.Should().Throw<ArgumentNullException>().WithParameterName("referenceStreams");
        emptyHypotheses.Should().Throw<ArgumentException>().WithParameterName("hypotheses");
        nullHypothesisItem.Should().Throw<ArgumentException>().WithParameterName("hypotheses").WithMessage("Hypothesis 1 of 2*");
        noStreams.Should().Throw<ArgumentException>().WithParameterName("referenceStreams");
        nullStream.Should().Throw<ArgumentException>().WithParameterName("referenceStreams");
        lengthMismatch.Should().Throw<ArgumentException>().WithParameterName("referenceStreams").WithMessage("*1 entries but there are 2*");
        segmentWithoutReference.Should().Throw<ArgumentException>().WithParameterName("referenceStreams").WithMessage("Hypothesis 1 has no reference*");
    }

    [Fact]
    public void GetSignature_NonPositiveCount_Throws()
    {
        var metric = new BleuMetric();

        Action act = () => metric.GetSignature(0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("referenceCount");
    }

    internal static (string[] Hypotheses, string?[][] Streams) CorpusInput(JsonElement corpusCase)
    {
        JsonElement[] records = corpusCase.GetProperty("record_ids").EnumerateArray()
            .Select(e => MetricFixtures.TextById[e.GetString()!]).ToArray();
        string[] hypotheses = records.Select(r => r.GetProperty("hypothesis").GetString()!).ToArray();
        string[][] references = records.Select(MetricFixtures.References).ToArray();
        int streamCount = references.Max(r => r.Length);
        string?[][] streams = Enumerable.Range(0, streamCount)
            .Select(s => references.Select(r => s < r.Length ? r[s] : null).ToArray())
            .ToArray();
        return (hypotheses, streams);
    }

    internal static string ManifestSignature(string key)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(MetricFixtures.Directory, "manifest.json")));
        return manifest.RootElement.GetProperty("sacrebleu_signatures").GetProperty(key).GetString()!;
    }

    private static BleuOptions Options(string configuration, bool effectiveOrder) => configuration switch
    {
        "exp" => new BleuOptions { EffectiveOrder = effectiveOrder },
        "floor" => new BleuOptions { Smoothing = BleuSmoothing.Floor, EffectiveOrder = effectiveOrder },
        "add-k" => new BleuOptions { Smoothing = BleuSmoothing.AddK, EffectiveOrder = effectiveOrder },
        "none" => new BleuOptions { Smoothing = BleuSmoothing.None, EffectiveOrder = effectiveOrder },
        "exp_lowercase" => new BleuOptions { Lowercase = true, EffectiveOrder = effectiveOrder },
        _ => throw new ArgumentOutOfRangeException(nameof(configuration), configuration, "Unknown configuration."),
    };

    private static void ShouldMatch(BleuScore actual, JsonElement expected, string because)
    {
        actual.Counts.Should().Equal(Doubles(expected.GetProperty("counts")), because + " counts");
        actual.Totals.Should().Equal(Doubles(expected.GetProperty("totals")), because + " totals");
        actual.SystemLength.Should().Be(expected.GetProperty("sys_len").GetInt64(), because + " sys_len");
        actual.ReferenceLength.Should().Be(expected.GetProperty("ref_len").GetInt64(), because + " ref_len");
        actual.BrevityPenalty.ShouldMatch(expected.GetProperty("bp").GetDouble(), because + " bp");
        double[] precisions = Doubles(expected.GetProperty("precisions"));
        actual.Precisions.Should().HaveCount(precisions.Length, because);
        for (int i = 0; i < precisions.Length; i++)
        {
            actual.Precisions[i].ShouldMatch(precisions[i], $"{because} precision {i + 1}");
        }

        actual.Score.ShouldMatch(expected.GetProperty("score").GetDouble(), because + " score");
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Fact]
    public void Score_SeededRandomRepetitiveSegments_CountsMatchNaiveClippedNGramCounts()
    {
        // Many repeated n-grams and 1 to 3 references exercise the clipping (maximum over references), the unigram
        // counters kept by token id and the reference scan that stops at n-grams the hypothesis lacks.
        string[] vocabulary = ["a", "b", "c", "dd", "a.", "e"];
        var random = new Random(7_331);
        var metric = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizer.None });

        for (int caseIndex = 0; caseIndex < 500; caseIndex++)
        {
            string[] hypothesis = RandomWords(random, vocabulary);
            string[][] references = new string[random.Next(1, 4)][];
            for (int r = 0; r < references.Length; r++)
            {
                references[r] = RandomWords(random, vocabulary);
            }

            BleuScore score = metric.Score(string.Join(' ', hypothesis), [.. references.Select(r => string.Join(' ', r))]);

            for (int n = 1; n <= 4; n++)
            {
                Dictionary<string, int> hypothesisCounts = NGramCounts(hypothesis, n);
                var maxReferenceCounts = new Dictionary<string, int>();
                foreach (string[] reference in references)
                {
                    foreach ((string gram, int count) in NGramCounts(reference, n))
                    {
                        maxReferenceCounts[gram] = Math.Max(count, maxReferenceCounts.GetValueOrDefault(gram));
                    }
                }

                int expected = hypothesisCounts.Sum(pair => Math.Min(pair.Value, maxReferenceCounts.GetValueOrDefault(pair.Key)));
                score.Counts[n - 1].Should().Be(expected, "case {0}, order {1}", caseIndex, n);
                score.Totals[n - 1].Should().Be(Math.Max(0, hypothesis.Length - n + 1), "case {0}, order {1}", caseIndex, n);
            }
        }
    }

    private static string[] RandomWords(Random random, string[] vocabulary)
    {
        string[] words = new string[random.Next(0, 13)];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = vocabulary[random.Next(vocabulary.Length)];
        }

        return words;
    }

    private static Dictionary<string, int> NGramCounts(string[] words, int n)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i + n <= words.Length; i++)
        {
            string gram = string.Join(' ', words, i, n);
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
