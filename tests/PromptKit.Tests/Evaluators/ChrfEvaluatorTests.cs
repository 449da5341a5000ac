using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.Options;
using PromptKit.Tests.Metrics;

namespace PromptKit.Tests.Evaluators;

public sealed class ChrfEvaluatorTests
{
    public static TheoryData<string> TextCaseIds() => MetricFixtures.TextCaseIds();

    [Theory]
    [MemberData(nameof(TextCaseIds))]
    public async Task EvaluateAsync_FixtureCase_ValueIsSacreBleuChrfOver100(string id)
    {
        JsonElement textCase = MetricFixtures.TextById[id];
        string hypothesis = textCase.GetProperty("hypothesis").GetString()!;
        string[] references = MetricFixtures.References(textCase);
        JsonElement expected = textCase.GetProperty("sentence_chrf");

        NumericMetric chrf = await EvaluateAsync(new ChrfEvaluator(), hypothesis, references);
        NumericMetric chrfPlusPlus = await EvaluateAsync(new ChrfEvaluator(new ChrfOptions { WordOrder = 2 }), hypothesis, references);

        chrf.Value!.Value.ShouldMatch(expected.GetProperty("chrF2").GetProperty("score").GetDouble() / 100.0, $"{id}: chrF2 / 100");
        chrfPlusPlus.Value!.Value.ShouldMatch(expected.GetProperty("chrF2++").GetProperty("score").GetDouble() / 100.0, $"{id}: chrF2++ / 100");
        chrf.Value.Value.ShouldMatch(new ChrfMetric().ScoreValue(hypothesis, references) / 100.0, $"{id}: ChrfMetric.ScoreValue / 100");
        chrf.Value.Value.Should().BeInRange(0.0, 1.0);
        chrfPlusPlus.Value.Value.Should().BeInRange(0.0, 1.0);
    }

    [Fact]
    public async Task EvaluateAsync_ChrfPlusPlus_KeepsMetricNameAndNamesVariantInReason()
    {
        var evaluator = new ChrfEvaluator(new ChrfOptions { WordOrder = 2 });

        NumericMetric metric = await EvaluateAsync(evaluator, "the cat sat", "the cat sat on the mat");

        metric.Name.Should().Be("chrF");
        metric.Reason.Should().StartWith("chrF2++ = ");
        metric.Metadata!["sacrebleu-signature"].Should().Be("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0");
    }

    [Fact]
    public async Task EvaluateAsync_MultipleReferences_UsesBestReference()
    {
        const string Response = "the cat sat on the mat";
        string[] references = ["a dog lay on a rug", "the cat sat on the mat"];

        NumericMetric single = await EvaluateAsync(new ChrfEvaluator(), Response, references[0]);
        NumericMetric both = await EvaluateAsync(new ChrfEvaluator(), Response, references);

        single.Value.Should().BeLessThan(0.5);
        both.Value.Should().Be(1.0);
        both.Metadata!["reference-count"].Should().Be("2");
        both.Metadata["sacrebleu-signature"].Should().StartWith("nrefs:2|");
    }

    [Fact]
    public async Task EvaluateAsync_IdenticalText_ReportsOneWithReasonSignatureAndContext()
    {
        const string Text = "Keep we they writer break.";

        NumericMetric metric = await EvaluateAsync(new ChrfEvaluator(), Text, Text);

        metric.Name.Should().Be(ChrfEvaluator.ChrfMetricName);
        metric.Value.Should().Be(1.0);
        metric.Metadata!["chrf-score"].Should().Be("100");
        metric.Reason.Should().Be("chrF2 = 100.00 (sacrebleu signature nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0)");
        metric.Context.Should().ContainKey(ReferenceTextContext.ReferencesContextName);
        metric.Interpretation!.Rating.Should().Be(EvaluationRating.Exceptional);
        metric.Interpretation.Failed.Should().BeFalse();
    }

    [Fact]
    public async Task EvaluateAsync_NoOverlap_IsUnacceptableAndFailed()
    {
        NumericMetric metric = await EvaluateAsync(new ChrfEvaluator(), "xyz", "abc");

        metric.Value.Should().Be(0.0);
        metric.Interpretation!.Rating.Should().Be(EvaluationRating.Unacceptable);
        metric.Interpretation.Failed.Should().BeTrue();
    }

    [Fact]
    public async Task EvaluateAsync_NoReferenceTextContext_ReturnsErrorDiagnosticAndNoValue()
    {
        var evaluator = new ChrfEvaluator();

        EvaluationResult result = await evaluator.EvaluateAsync(
            [], Response("some answer"), additionalContext: [new OtherContext()]);

        NumericMetric metric = result.Get<NumericMetric>(ChrfEvaluator.ChrfMetricName);
        metric.Value.Should().BeNull();
        metric.Interpretation.Should().BeNull();
        metric.Diagnostics.Should().ContainSingle()
            .Which.Should().Match<EvaluationDiagnostic>(d =>
                d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains(nameof(ReferenceTextContext)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t ")]
    public async Task EvaluateAsync_EmptyResponse_ReturnsZeroWithWarning(string response)
    {
        NumericMetric metric = await EvaluateAsync(new ChrfEvaluator(), response, "the expected answer");

        metric.Value.Should().Be(0.0);
        metric.Diagnostics.Should().ContainSingle()
            .Which.Severity.Should().Be(EvaluationDiagnosticSeverity.Warning);
    }

    [Fact]
    public void EvaluationMetricNames_Default_IsChrf()
    {
        var evaluator = new ChrfEvaluator();

        IReadOnlyCollection<string> names = evaluator.EvaluationMetricNames;

        names.Should().Equal("chrF");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        Action act = () => _ = new ChrfEvaluator(new ChrfOptions { Beta = -1 });

        act.Should().Throw<OptionsValidationException>().WithMessage("*Beta*");
    }

    [Fact]
    public async Task EvaluateAsync_NullMessages_ThrowsWithParamName()
    {
        var evaluator = new ChrfEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync(null!, Response("x"));

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("messages");
    }

    [Fact]
    public async Task EvaluateAsync_NullModelResponse_ThrowsWithParamName()
    {
        var evaluator = new ChrfEvaluator();

        Func<Task> act = async () => await evaluator.EvaluateAsync([], null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("modelResponse");
    }

    [Fact]
    public async Task EvaluateAsync_CanceledToken_ThrowsOperationCanceledException()
    {
        var evaluator = new ChrfEvaluator();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = async () => await evaluator.EvaluateAsync(
            [], Response("x"), additionalContext: [new ReferenceTextContext("x")], cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static ChatResponse Response(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static async Task<NumericMetric> EvaluateAsync(ChrfEvaluator evaluator, string response, params string[] references)
    {
        EvaluationResult result = await evaluator.EvaluateAsync(
            [new ChatMessage(ChatRole.User, "Say it.")], Response(response), additionalContext: [new ReferenceTextContext(references)]);
        result.Metrics.Should().ContainSingle();
        return result.Get<NumericMetric>(ChrfEvaluator.ChrfMetricName);
    }

    private sealed class OtherContext() : EvaluationContext("Other", "not a reference");
}
