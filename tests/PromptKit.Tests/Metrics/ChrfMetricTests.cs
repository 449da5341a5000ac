using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Metrics;

public sealed class ChrfMetricTests
{
    private static readonly string[] Variants = ["chrF2", "chrF2++"];

    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    public static TheoryData<string> CorpusCaseIds() => MetricFixtures.CorpusCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public void Score_FixtureCase_MatchesSacreBleuSentenceScoreForBothVariants(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);

        foreach (string variant in Variants)
        {
            var metric = new ChrfMetric(Options(variant));

            ChrfScore score = metric.Score(hypothesis, references);

            double expected = textCase.GetProperty("sentence_chrf").GetProperty(variant).GetProperty("score").GetDouble();
            score.Score.ShouldMatch(expected, $"{id} sentence_chrf.{variant}");
            metric.ScoreValue(hypothesis, references).Should().Be(score.Score);
        }
    }

    [Theory]
    [MemberData(nameof(CorpusCaseIds))]
    public void ScoreCorpus_FixtureCase_MatchesSacreBleuCorpusScoreForBothVariants(string id)
    {
        JsonElement corpusCase = MetricFixtures.Corpus(id);
        (string[] hypotheses, string?[][] streams) = BleuMetricTests.CorpusInput(corpusCase);

        foreach (string variant in Variants)
        {
            var metric = new ChrfMetric(Options(variant));

            ChrfScore score = metric.ScoreCorpus(hypotheses, streams);

            double expected = corpusCase.GetProperty("corpus_chrf").GetProperty(variant).GetProperty("score").GetDouble();
            score.Score.ShouldMatch(expected, $"{id} corpus_chrf.{variant}");
        }
    }

    [Theory]
    [MemberData(nameof(CorpusCaseIds))]
    public void Accumulate_FixtureCorpus_SameAsScoreCorpusAndSignatureMatchesManifest(string id)
    {
        JsonElement corpusCase = MetricFixtures.Corpus(id);
        (string[] hypotheses, string?[][] streams) = BleuMetricTests.CorpusInput(corpusCase);
        var metric = new ChrfMetric(Options("chrF2++"));
        var statistics = new ChrfStatistics(6, 2);

        for (int i = 0; i < hypotheses.Length; i++)
        {
            string[] references = streams.Select(s => s[i]).OfType<string>().ToArray();
            metric.Accumulate(hypotheses[i], references, statistics);
        }

        metric.Score(statistics).Score.Should().Be(metric.ScoreCorpus(hypotheses, streams).Score);
        int maxReferences = corpusCase.GetProperty("n_references_max").GetInt32();
        metric.GetSignature(statistics.ReferenceCount).Should().Be(BleuMetricTests.ManifestSignature($"corpus_chrf.chrF2++.nrefs={maxReferences}"));
    }

    [Theory]
    [InlineData("chrF2")]
    [InlineData("chrF2++")]
    public void Signature_EachVariant_MatchesManifest(string variant)
    {
        var metric = new ChrfMetric(Options(variant));

        string sentence = metric.Signature;
        string corpusSingle = metric.GetSignature(1);
        string corpusVariable = metric.GetSignature(null);

        sentence.Should().Be(BleuMetricTests.ManifestSignature($"sentence_chrf.{variant}"));
        corpusSingle.Should().Be(BleuMetricTests.ManifestSignature($"corpus_chrf.{variant}.nrefs=1"));
        corpusVariable.Should().Be(BleuMetricTests.ManifestSignature($"corpus_chrf.{variant}.nrefs=4"));
    }

    [Fact]
    public void GetSignature_OtherOptions_FollowSacreBleuFormat()
    {
        var metric = new ChrfMetric(new ChrfOptions { CharOrder = 4, WordOrder = 1, Lowercase = true, IncludeWhitespace = true, EpsSmoothing = true });

        string signature = metric.GetSignature(2);

        signature.Should().Be("nrefs:2|case:lc|eff:no|nc:4|nw:1|space:yes|version:2.6.0");
    }

    [Fact]
    public void ToString_ChrfPlusPlus_FormatsAsSacreBleu()
    {
        JsonElement corpusCase = MetricFixtures.Corpus("c01");
        (string[] hypotheses, string?[][] streams) = BleuMetricTests.CorpusInput(corpusCase);
        var metric = new ChrfMetric(Options("chrF2++"));

        ChrfScore score = metric.ScoreCorpus(hypotheses, streams);

        // corpus_cases.jsonl c01: corpus_chrf.chrF2++ = 74.94278754209866.
        score.ToString().Should().Be("chrF2++ = 74.94");
        score.Name.Should().Be("chrF2++");
        (score.CharOrder, score.WordOrder, score.Beta).Should().Be((6, 2, 2));
    }

    // sacrebleu test/test_chrf.py test_chrf: corpus_chrf with char order 6, beta 3 and eps smoothing (published to 1e-4).
    [Theory]
    [InlineData(new[] { "abcdefg" }, new[] { "hijklmnop" }, 0.0)]
    [InlineData(new[] { "a" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 8.3333)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 8.3333)]
    [InlineData(new[] { "a" }, new[] { "a" }, 16.6667)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 50.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 50.0)]
    [InlineData(
        new[] { " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ." },
        new[] { "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ." },
        63.361730)]
    [InlineData(
        new[] { " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. " },
        new[] { "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich." },
        64.1302698)]
    [InlineData(new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, 100.0)]
    public void ScoreCorpus_SacreBleuEpsSmoothingCases_MatchPublishedScore(string[] hypotheses, string[] references, double expected)
    {
        var metric = new ChrfMetric(new ChrfOptions { Beta = 3, EpsSmoothing = true });

        double score = metric.ScoreCorpus(hypotheses, [references]).Score;

        score.Should().BeApproximately(expected, 1e-4);
    }

    // sacrebleu test/test_chrf.py test_chrf_eff_order: beta 3, effective-order averaging (sacrebleu's default).
    [Theory]
    [InlineData(new[] { "a" }, new[] { "a" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 100.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "c" }, 0.0)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 50.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 25.0)]
    public void ScoreCorpus_SacreBleuEffectiveOrderCases_MatchPublishedScore(string[] hypotheses, string[] references, double expected)
    {
        var metric = new ChrfMetric(new ChrfOptions { Beta = 3 });

        double score = metric.ScoreCorpus(hypotheses, [references]).Score;

        score.Should().BeApproximately(expected, 1e-4);
    }

    // sacrebleu test/test_chrf.py test_chrf_keep_whitespace: beta 3, whitespace kept in character n-grams.
    [Theory]
    [InlineData(
        "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.",
        67.3481606)]
    [InlineData(
        "risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .",
        65.2414427)]
    public void ScoreCorpus_SacreBleuKeepWhitespaceCases_MatchPublishedScore(string hypothesis, string reference, double expected)
    {
        var metric = new ChrfMetric(new ChrfOptions { Beta = 3, IncludeWhitespace = true });

        double score = metric.ScoreCorpus([hypothesis], [[reference]]).Score;

        score.Should().BeApproximately(expected, 1e-4);
    }

    // sacrebleu test/test_chrf.py test_chrf_sentence_level: sentence_chrf with eps smoothing, default beta 2.
    [Theory]
    [InlineData(
        "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
        39.14078509)]
    [InlineData(
        "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
        31.22557079)]
    [InlineData(
        "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
        57.15704367)]
    public void Score_SacreBleuSentenceLevelCases_MatchPublishedScore(string hypothesis, string reference, double expected)
    {
        var metric = new ChrfMetric(new ChrfOptions { EpsSmoothing = true });

        double score = metric.Score(hypothesis, [reference]).Score;

        score.Should().BeApproximately(expected, 1e-4);
    }

    [Fact]
    public void Score_MultipleReferences_UsesBestReference()
    {
        var metric = new ChrfMetric();

        double best = metric.ScoreValue("the cat sat on the mat", ["a dog ran", "the cat sat on a mat"]);
        double alone = metric.ScoreValue("the cat sat on the mat", ["the cat sat on a mat"]);

        best.Should().Be(alone);
    }

    [Fact]
    public void Score_EpsSmoothing_AveragesPerOrderFScores()
    {
        // Hand-computed: hypothesis "ab", reference "ab", char order 3, eps smoothing: orders 1 and 2 give F = 1,
        // order 3 has no n-grams on either side so precision = recall = 1e-16 and F = 5e-32 / 5e-16 = 1e-16.
        var metric = new ChrfMetric(new ChrfOptions { CharOrder = 3, EpsSmoothing = true });

        double score = metric.ScoreValue("ab", ["ab"]);

        score.Should().BeApproximately(100.0 * (2 + 1e-16) / 3, 1e-12);
    }

    [Fact]
    public void Score_IncludeWhitespace_CountsSpaces()
    {
        var withSpace = new ChrfMetric(new ChrfOptions { IncludeWhitespace = true });
        var without = new ChrfMetric();

        double spaced = withSpace.ScoreValue("ab cd", ["abcd"]);
        double plain = without.ScoreValue("ab cd", ["abcd"]);

        plain.Should().Be(100.0);
        spaced.Should().BeLessThan(100.0);
    }

    [Fact]
    public void Score_Lowercase_IgnoresCase()
    {
        var metric = new ChrfMetric(new ChrfOptions { Lowercase = true, WordOrder = 2 });

        double score = metric.ScoreValue("THE Cat İS here", ["the cat i̇s here"]);

        score.Should().Be(100.0);
    }

    [Fact]
    public void Score_IdenticalNonTrivialText_IsHundred()
    {
        var generator = Gen.Int[1, 30].SelectMany(n => Gen.String[Gen.Char["abcé😀.,("], 1, 7].Array[n]).Select(w => string.Join(' ', w));
        var metrics = new[] { new ChrfMetric(), new ChrfMetric(Options("chrF2++")), new ChrfMetric(new ChrfOptions { EpsSmoothing = true, CharOrder = 1 }) };

        generator.SampleSeeded(text =>
        {
            foreach (ChrfMetric metric in metrics)
            {
                metric.ScoreValue(text, [text]).Should().BeApproximately(100.0, 1e-9, text);
            }
        }, iterations: 300, seed: 1);
    }

    [Fact]
    public void Score_RandomText_StaysWithinZeroAndHundred()
    {
        var word = Gen.String[Gen.Char["abc.,(é😀 "], 0, 8];
        var generator = Gen.Select(word.Array[0, 20], word.Array[0, 20], Gen.Int[0, 3], Gen.Bool);

        generator.SampleSeeded(sample =>
        {
            var (hypothesis, reference, wordOrder, eps) = sample;
            var metric = new ChrfMetric(new ChrfOptions { WordOrder = wordOrder, EpsSmoothing = eps });
            double score = metric.ScoreValue(string.Join(' ', hypothesis), [string.Join(' ', reference), "c a b"]);
            score.Should().BeInRange(0.0, 100.0 + 1e-9);
        }, iterations: 500, seed: 2);
    }

    [Fact]
    public void ScoreValue_Span_SameAsStringOverload()
    {
        var metric = new ChrfMetric(Options("chrF2++"));

        double fromSpan = metric.ScoreValue("The cat sat on the mat.".AsSpan(), "The cat is on the mat.".AsSpan());

        fromSpan.Should().Be(metric.Score("The cat sat on the mat.", ["The cat is on the mat."]).Score);
    }

    [Fact]
    public void ScoreValue_AfterWarmUp_DoesNotAllocate()
    {
        var metric = new ChrfMetric(Options("chrF2++"));
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
        var metric = new ChrfMetric(new ChrfOptions { WordOrder = 2 });
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
        Action act = () => _ = new ChrfMetric(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var options = new ChrfOptions { CharOrder = -1, WordOrder = 40, Beta = -2 };

        Action act = () => _ = new ChrfMetric(options);

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().HaveCount(3);
        string.Join("\n", failures).Should().ContainAll("CharOrder", "WordOrder", "Beta");
    }

    [Fact]
    public void Constructor_NoOrder_Throws()
    {
        Action act = () => _ = new ChrfMetric(new ChrfOptions { CharOrder = 0, WordOrder = 0 });

        act.Should().Throw<OptionsValidationException>().WithMessage("*CharOrder (0) and WordOrder (0)*");
    }

    [Fact]
    public void Score_InvalidArguments_Throw()
    {
        var metric = new ChrfMetric();

        Action nullHypothesis = () => metric.Score(null!, ["x"]);
        Action nullReferences = () => metric.Score("x", null!);
        Action emptyReferences = () => metric.Score("x", []);
        Action nullItem = () => metric.Score("x", ["a", null!]);

        nullHypothesis.Should().Throw<ArgumentNullException>().WithParameterName("hypothesis");
        nullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        emptyReferences.Should().Throw<ArgumentException>().WithParameterName("references");
        nullItem.Should().Throw<ArgumentException>().WithParameterName("references").WithMessage("Reference 1 of 2 is null*");
    }

    [Fact]
    public void ScoreValue_InvalidArguments_Throw()
    {
        var metric = new ChrfMetric();

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
        var metric = new ChrfMetric();

        Action nullHypothesis = () => metric.Accumulate(null!, ["x"], new ChrfStatistics());
        Action nullReferences = () => metric.Accumulate("x", null!, new ChrfStatistics());
        Action nullStatistics = () => metric.Accumulate("x", ["x"], null!);
        Action wrongOrders = () => metric.Accumulate("x", ["x"], new ChrfStatistics(6, 2));

        nullHypothesis.Should().Throw<ArgumentNullException>().WithParameterName("hypothesis");
        nullReferences.Should().Throw<ArgumentNullException>().WithParameterName("references");
        nullStatistics.Should().Throw<ArgumentNullException>().WithParameterName("statistics");
        wrongOrders.Should().Throw<ArgumentException>().WithParameterName("statistics");
    }

    [Fact]
    public void ScoreStatistics_InvalidArguments_Throw()
    {
        var metric = new ChrfMetric();

        Action nullStatistics = () => metric.Score((ChrfStatistics)null!);
        Action wrongOrders = () => metric.Score(new ChrfStatistics(5));

        nullStatistics.Should().Throw<ArgumentNullException>().WithParameterName("statistics");
        wrongOrders.Should().Throw<ArgumentException>().WithParameterName("statistics");
    }

    [Fact]
    public void ScoreStatistics_NoSegment_ReturnsZero()
    {
        var metric = new ChrfMetric();

        ChrfScore score = metric.Score(new ChrfStatistics());

        score.Score.Should().Be(0.0);
    }

    [Fact]
    public void ScoreCorpus_InvalidArguments_Throw()
    {
        var metric = new ChrfMetric();
        string[] hypotheses = ["a", "b"];

        Action nullHypotheses = () => metric.ScoreCorpus(null!, [["a"]]);
        Action nullStreams = () => metric.ScoreCorpus(hypotheses, null!);
        Action emptyHypotheses = () => metric.ScoreCorpus([], [[]]);
        Action lengthMismatch = () => metric.ScoreCorpus(hypotheses, [["a", "b", "c"]]);
        Action segmentWithoutReference = () => metric.ScoreCorpus(hypotheses, [[null, "b"]]);

        nullHypotheses.Should().Throw<ArgumentNullException>().WithParameterName("hypotheses");
        nullStreams.Should().Throw<ArgumentNullException>().WithParameterName("referenceStreams");
        emptyHypotheses.Should().Throw<ArgumentException>().WithParameterName("hypotheses");
        lengthMismatch.Should().Throw<ArgumentException>().WithParameterName("referenceStreams");
        segmentWithoutReference.Should().Throw<ArgumentException>().WithParameterName("referenceStreams").WithMessage("Hypothesis 0 has no reference*");
    }

    [Fact]
    public void GetSignature_NonPositiveCount_Throws()
    {
        var metric = new ChrfMetric();

        Action act = () => metric.GetSignature(-1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("referenceCount");
    }

    private static ChrfOptions Options(string variant) => variant switch
    {
        "chrF2" => new ChrfOptions(),
        "chrF2++" => new ChrfOptions { WordOrder = 2 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown variant."),
    };
}
