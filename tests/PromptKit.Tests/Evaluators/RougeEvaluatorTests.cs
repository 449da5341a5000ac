using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using PromptKit.Tests.Metrics;

namespace PromptKit.Tests.Evaluators;

public sealed class RougeEvaluatorTests
{
    private static readonly (RougeType Type, string FixtureKey, string MetricName)[] AllTypes =
    [
        (RougeType.Rouge1, "rouge1", "ROUGE-1"),
        (RougeType.Rouge2, "rouge2", "ROUGE-2"),
        (RougeType.RougeL, "rougeL", "ROUGE-L"),
        (RougeType.RougeLsum, "rougeLsum", "ROUGE-Lsum"),
    ];

    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public async Task EvaluateAsync_FixtureCase_ValuesAreRougeScoreFMeasures(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);
        JsonElement expectedAll = textCase.GetProperty(references.Length > 1 ? "rouge_multi" : "rouge");

        foreach (bool useStemmer in new[] { false, true })
        {
            var evaluator = new RougeEvaluator(new RougeOptions { UseStemmer = useStemmer });
            RougeResult direct = new RougeMetric(new RougeOptions { UseStemmer = useStemmer }).ScoreMulti(references, hypothesis);

            EvaluationResult result = await Evaluate(evaluator, hypothesis, references);

            result.Metrics.Should().HaveCount(4);
            JsonElement expected = expectedAll.GetProperty(useStemmer ? "stemmer" : "no_stemmer");
            foreach ((RougeType type, string key, string name) in AllTypes)
            {
                NumericMetric metric = result.Get<NumericMetric>(name);
                JsonElement score = expected.GetProperty(key);
                string because = $"{id} {key} stemmer={useStemmer}";
                metric.Value!.Value.ShouldMatch(score.GetProperty("fmeasure").GetDouble(), because);
                metric.Value.Value.Should().Be(direct[type].FMeasure, because);
                double.Parse(metric.Metadata!["precision"], System.Globalization.CultureInfo.InvariantCulture)
                    .ShouldMatch(score.GetProperty("precision").GetDouble(), because);
                double.Parse(metric.Metadata["recall"], System.Globalization.CultureInfo.InvariantCulture)
                    .ShouldMatch(score.GetProperty("recall").GetDouble(), because);
                metric.Metadata["use-stemmer"].Should().Be(useStemmer ? "true" : "false");
            }
        }
    }

    [Fact]
    public async Task EvaluateAsync_MultipleReferences_EachTypeUsesItsBestReference()
    {
        const string Response = "the cat sat on the mat";
        string[] references = ["a dog lay on a rug", "the cat sat on the mat"];

        EvaluationResult single = await Evaluate(new RougeEvaluator(), Response, references[0]);
        EvaluationResult both = await Evaluate(new RougeEvaluator(), Response, references);

        single.Get<NumericMetric>(RougeEvaluator.Rouge1MetricName).Value.Should().BeLessThan(0.5);
        foreach ((_, _, string name) in AllTypes)
        {
            NumericMetric metric = both.Get<NumericMetric>(name);
            metric.Value.Should().Be(1.0, name);
            metric.Metadata!["reference-count"].Should().Be("2");
            metric.Reason.Should().EndWith("(rouge-score 0.1.2, no stemmer, best of 2 references)");
        }
    }

    [Fact]
    public async Task EvaluateAsync_PartialMatch_ReasonAndMetadataGivePrecisionAndRecall()
    {
        EvaluationResult result = await Evaluate(
            new RougeEvaluator(new RougeOptions { Types = [RougeType.Rouge1] }), "a b", "a b c d");

        NumericMetric metric = result.Get<NumericMetric>(RougeEvaluator.Rouge1MetricName);
        metric.Value.Should().BeApproximately(2.0 / 3.0, 1e-15);
        metric.Metadata!["precision"].Should().Be("1");
        metric.Metadata["recall"].Should().Be("0.5");
        metric.Reason.Should().StartWith("ROUGE-1: P = 1, R = 0.5, F = 0.666666666666666")
            .And.EndWith("(rouge-score 0.1.2, no stemmer, 1 reference)");
        metric.Context.Should().ContainKey(ReferenceTextContext.ReferencesContextName);
        metric.Interpretation!.Rating.Should().Be(EvaluationRating.Good);
        metric.Interpretation.Failed.Should().BeFalse();
    }

    [Theory]
    [InlineData("a b", "a c", 0.5, EvaluationRating.Average, false)]
    [InlineData("a b c d e", "a b c x y", 0.6, EvaluationRating.Average, false)]
    [InlineData("a b c d e", "x y z v w", 0.0, EvaluationRating.Unacceptable, true)]
    [InlineData("a b c d e", "a b c d e", 1.0, EvaluationRating.Exceptional, false)]
    public async Task EvaluateAsync_Rouge1AtThreshold_RatedByDocumentedBands(
        string response, string reference, double expectedValue, EvaluationRating expectedRating, bool expectedFailed)
    {
        EvaluationResult result = await Evaluate(
            new RougeEvaluator(new RougeOptions { Types = [RougeType.Rouge1] }), response, reference);

        NumericMetric metric = result.Get<NumericMetric>(RougeEvaluator.Rouge1MetricName);
        metric.Value.Should().Be(expectedValue);
        metric.Interpretation!.Rating.Should().Be(expectedRating);
        metric.Interpretation.Failed.Should().Be(expectedFailed);
    }

    [Fact]
    public async Task EvaluateAsync_NoReferenceTextContext_EveryMetricHasErrorDiagnosticAndNoValue()
    {
        var evaluator = new RougeEvaluator();

        EvaluationResult result = await evaluator.EvaluateAsync([], Response("some answer"), additionalContext: null);

        result.Metrics.Keys.Should().BeEquivalentTo("ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum");
        foreach ((_, _, string name) in AllTypes)
        {
            NumericMetric metric = result.Get<NumericMetric>(name);
            metric.Value.Should().BeNull();
            metric.Interpretation.Should().BeNull();
            metric.Diagnostics.Should().ContainSingle()
                .Which.Should().Match<EvaluationDiagnostic>(d =>
                    d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.StartsWith(name + " was not computed", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  ")]
    public async Task EvaluateAsync_EmptyResponse_EveryMetricZeroWithWarning(string response)
    {
        EvaluationResult result = await Evaluate(new RougeEvaluator(), response, "the expected answer");

        foreach ((_, _, string name) in AllTypes)
        {
            NumericMetric metric = result.Get<NumericMetric>(name);
            metric.Value.Should().Be(0.0);
            metric.Diagnostics.Should().ContainSingle()
                .Which.Severity.Should().Be(EvaluationDiagnosticSeverity.Warning);
        }
    }

    [Fact]
    public void EvaluationMetricNames_Default_AllFourTypesInOrder()
    {
        var evaluator = new RougeEvaluator();

        IReadOnlyCollection<string> names = evaluator.EvaluationMetricNames;

        names.Should().Equal("ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum");
        evaluator.Types.Should().Equal(RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum);
    }

    [Fact]
    public async Task EvaluationMetricNames_ConfiguredTypes_OnlyThoseInOptionOrderWithoutDuplicates()
    {
        var evaluator = new RougeEvaluator(new RougeOptions { Types = [RougeType.RougeLsum, RougeType.Rouge1, RougeType.RougeLsum] });

        EvaluationResult result = await Evaluate(evaluator, "a b", "a b");

        evaluator.EvaluationMetricNames.Should().Equal("ROUGE-Lsum", "ROUGE-1");
        result.Metrics.Keys.Should().BeEquivalentTo("ROUGE-Lsum", "ROUGE-1");
    }

    [Theory]
    [InlineData(RougeType.Rouge1, RougeEvaluator.Rouge1MetricName)]
    [InlineData(RougeType.Rouge2, RougeEvaluator.Rouge2MetricName)]
    [InlineData(RougeType.RougeL, RougeEvaluator.RougeLMetricName)]
    [InlineData(RougeType.RougeLsum, RougeEvaluator.RougeLsumMetricName)]
    public void GetMetricName_DefinedType_ReturnsName(RougeType type, string expected)
    {
        string name = RougeEvaluator.GetMetricName(type);

        name.Should().Be(expected);
    }

    [Fact]
    public void GetMetricName_UndefinedType_ThrowsWithParamName()
    {
        Action act = () => RougeEvaluator.GetMetricName((RougeType)42);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
    }

    [Fact]
    public void Constructor_EmptyTypes_ThrowsWithParamName()
    {
        Action act = () => _ = new RougeEvaluator(new RougeOptions { Types = [] });

        act.Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public async Task EvaluateAsync_NullMessages_ThrowsWithParamName()
    {
        var evaluator = new RougeEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync(null!, Response("x"));

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("messages");
    }

    [Fact]
    public async Task EvaluateAsync_NullModelResponse_ThrowsWithParamName()
    {
        var evaluator = new RougeEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync([], null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("modelResponse");
    }

    [Fact]
    public async Task EvaluateAsync_CanceledToken_ThrowsOperationCanceledException()
    {
        var evaluator = new RougeEvaluator();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = async () => await evaluator.EvaluateAsync(
            [], Response("x"), additionalContext: [new ReferenceTextContext("x")], cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static ChatResponse Response(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static async Task<EvaluationResult> Evaluate(RougeEvaluator evaluator, string response, params string[] references) =>
        await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "Summarize it.")], Response(response), additionalContext: [new ReferenceTextContext(references)]);
}
