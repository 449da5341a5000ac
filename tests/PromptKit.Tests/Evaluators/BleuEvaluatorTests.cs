using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Options;
using PromptKit.Tests.Metrics;

namespace PromptKit.Tests.Evaluators;

public sealed class BleuEvaluatorTests
{
    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public async Task EvaluateAsync_FixtureCase_ValueIsSacreBleuSentenceBleuOver100(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);
        double expected = textCase.GetProperty("sentence_bleu").GetProperty("exp").GetProperty("score").GetDouble();
        double metricValue = new BleuMetric(new BleuOptions { EffectiveOrder = true }).ScoreValue(hypothesis, references);

        NumericMetric metric = await EvaluateAsync(new BleuEvaluator(), hypothesis, references);

        metric.Value.Should().NotBeNull();
        metric.Value!.Value.ShouldMatch(expected / 100.0, $"{id}: sacrebleu sentence_bleu / 100");
        metric.Value.Value.ShouldMatch(metricValue / 100.0, $"{id}: BleuMetric.ScoreValue / 100");
        metric.Value.Value.Should().BeInRange(0.0, 1.0);
        (metric.Diagnostics ?? []).Should().NotContain(d => d.Severity == EvaluationDiagnosticSeverity.Error);
        metric.Interpretation.Should().NotBeNull();
    }

    [Theory]
    [InlineData("t0002", "none")]
    [InlineData("t0004", "floor")]
    [InlineData("t0006", "add-k")]
    [InlineData("t0240", "exp_lowercase")]
    [InlineData("t0299", "none")]
    public async Task EvaluateAsync_CustomOptions_ValueIsSacreBleuWithThoseOptionsOver100(string id, string configuration)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);
        double expected = textCase.GetProperty("sentence_bleu").GetProperty(configuration).GetProperty("score").GetDouble();
        var options = new BleuOptions
        {
            EffectiveOrder = true,
            Smoothing = configuration switch
            {
                "none" => BleuSmoothing.None,
                "floor" => BleuSmoothing.Floor,
                "add-k" => BleuSmoothing.AddK,
                _ => BleuSmoothing.Exponential,
            },
            Lowercase = configuration == "exp_lowercase",
        };

        NumericMetric metric = await EvaluateAsync(new BleuEvaluator(options), hypothesis, references);

        metric.Value!.Value.ShouldMatch(expected / 100.0, $"{id}: sentence_bleu.{configuration} / 100");
    }

    [Fact]
    public async Task EvaluateAsync_MultipleReferences_ClipsAgainstAllAndReportsReferenceCount()
    {
        const string Response = "the cat sat on the mat";
        string[] references = ["a dog lay on a rug", "the cat sat on the mat"];

        NumericMetric single = await EvaluateAsync(new BleuEvaluator(), Response, references[0]);
        NumericMetric both = await EvaluateAsync(new BleuEvaluator(), Response, references);

        single.Value.Should().BeLessThan(0.5);
        both.Value.Should().Be(1.0);
        both.Metadata!["reference-count"].Should().Be("2");
        both.Metadata["sacrebleu-signature"].Should().Be("nrefs:2|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0");
    }

    [Fact]
    public async Task EvaluateAsync_IdenticalText_ReportsOneWithReasonSignatureAndContext()
    {
        const string Text = "Keep we they writer break.";

        NumericMetric metric = await EvaluateAsync(new BleuEvaluator(), Text, Text);

        metric.Name.Should().Be(BleuEvaluator.BleuMetricName);
        metric.Value.Should().Be(1.0, "sacrebleu's 100.00000000000004 for identical text is capped at 1");
        metric.Metadata!["bleu-score"].Should().Be("100.00000000000004");
        metric.Metadata["brevity-penalty"].Should().Be("1");
        metric.Metadata["sacrebleu-signature"].Should().Be("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0");
        metric.Reason.Should().StartWith("BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000")
            .And.EndWith("(sacrebleu signature nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0)");
        metric.Context.Should().ContainKey(ReferenceTextContext.ReferencesContextName);
        metric.Diagnostics.Should().BeNullOrEmpty();
        metric.Interpretation!.Rating.Should().Be(EvaluationRating.Exceptional);
        metric.Interpretation.Failed.Should().BeFalse();
    }

    [Fact]
    public async Task EvaluateAsync_NoOverlap_IsUnacceptableAndFailed()
    {
        NumericMetric metric = await EvaluateAsync(new BleuEvaluator(), "green apples fall", "the river is wide and deep");

        metric.Value.Should().Be(0.0);
        metric.Interpretation!.Rating.Should().Be(EvaluationRating.Unacceptable);
        metric.Interpretation.Failed.Should().BeTrue();
        metric.Interpretation.Reason.Should().Contain("below the passing score 0.5");
    }

    [Fact]
    public async Task EvaluateAsync_NoAdditionalContext_ReturnsErrorDiagnosticAndNoValue()
    {
        var evaluator = new BleuEvaluator();

        EvaluationResult result = await evaluator.EvaluateAsync([], Response("some answer"));

        NumericMetric metric = result.Get<NumericMetric>(BleuEvaluator.BleuMetricName);
        metric.Value.Should().BeNull();
        metric.Interpretation.Should().BeNull();
        metric.Diagnostics.Should().ContainSingle()
            .Which.Should().Match<EvaluationDiagnostic>(d =>
                d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains(nameof(ReferenceTextContext)));
    }

    [Fact]
    public async Task EvaluateAsync_OnlyOtherContexts_ReturnsErrorDiagnosticAndNoValue()
    {
        var evaluator = new BleuEvaluator();

        EvaluationResult result = await evaluator.EvaluateAsync(
            [], Response("some answer"), additionalContext: [new OtherContext()]);

        NumericMetric metric = result.Get<NumericMetric>(BleuEvaluator.BleuMetricName);
        metric.Value.Should().BeNull();
        metric.Diagnostics.Should().ContainSingle(d => d.Severity == EvaluationDiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task EvaluateAsync_EmptyResponse_ReturnsZeroWithWarning(string response)
    {
        NumericMetric metric = await EvaluateAsync(new BleuEvaluator(), response, "the expected answer");

        metric.Value.Should().Be(0.0);
        metric.Diagnostics.Should().ContainSingle()
            .Which.Severity.Should().Be(EvaluationDiagnosticSeverity.Warning);
        metric.Interpretation!.Failed.Should().BeTrue();
    }

    [Fact]
    public void EvaluationMetricNames_Default_IsBleu()
    {
        var evaluator = new BleuEvaluator();

        IReadOnlyCollection<string> names = evaluator.EvaluationMetricNames;

        names.Should().Equal("BLEU");
        BleuEvaluator.BleuMetricName.Should().Be("BLEU");
    }

    [Fact]
    public async Task EvaluateAsync_ViaMeaiStringExtension_SameValueAsMetric()
    {
        IEvaluator evaluator = new BleuEvaluator();
        double expected = new BleuMetric(new BleuOptions { EffectiveOrder = true })
            .ScoreValue("a quick brown fox", ["the quick brown fox jumps"]) / 100.0;

        EvaluationResult result = await evaluator.EvaluateAsync(
            "a quick brown fox", additionalContext: [new ReferenceTextContext("the quick brown fox jumps")]);

        result.Get<NumericMetric>(BleuEvaluator.BleuMetricName).Value.Should().Be(expected);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        Action act = () => _ = new BleuEvaluator(new BleuOptions { MaxNgramOrder = 0 });

        act.Should().Throw<OptionsValidationException>().WithMessage("*MaxNgramOrder*");
    }

    [Fact]
    public async Task EvaluateAsync_NullMessages_ThrowsWithParamName()
    {
        var evaluator = new BleuEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync(null!, Response("x"));

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("messages");
    }

    [Fact]
    public async Task EvaluateAsync_NullModelResponse_ThrowsWithParamName()
    {
        var evaluator = new BleuEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync([], null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("modelResponse");
    }

    [Fact]
    public async Task EvaluateAsync_CanceledToken_ThrowsOperationCanceledException()
    {
        var evaluator = new BleuEvaluator();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = async () => await evaluator.EvaluateAsync(
            [], Response("x"), additionalContext: [new ReferenceTextContext("x")], cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static ChatResponse Response(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static async Task<NumericMetric> EvaluateAsync(BleuEvaluator evaluator, string response, params string[] references)
    {
        EvaluationResult result = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "Say it.")], Response(response), additionalContext: [new ReferenceTextContext(references)]);
        result.Metrics.Should().ContainSingle();
        return result.Get<NumericMetric>(BleuEvaluator.BleuMetricName);
    }

    private sealed class OtherContext() : EvaluationContext("Other", "not a reference");
}
