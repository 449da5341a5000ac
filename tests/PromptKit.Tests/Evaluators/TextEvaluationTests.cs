using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit.Tests.Evaluators;

public sealed class TextEvaluationTests
{
    [Theory]
    [InlineData(0.0, EvaluationRating.Unacceptable, true)]
    [InlineData(0.2, EvaluationRating.Unacceptable, true)]
    [InlineData(0.4, EvaluationRating.Poor, true)]
    [InlineData(0.49999999999999994, EvaluationRating.Average, true)]
    [InlineData(0.5, EvaluationRating.Average, false)]
    [InlineData(0.6, EvaluationRating.Average, false)]
    [InlineData(0.8, EvaluationRating.Good, false)]
    [InlineData(1.0, EvaluationRating.Exceptional, false)]
    public void Interpret_ValueAtThreshold_UpperBoundBelongsToLowerBand(double value, EvaluationRating expectedRating, bool expectedFailed)
    {
        var metric = new NumericMetric("BLEU", value);

        EvaluationMetricInterpretation interpretation = TextEvaluation.Interpret(metric);

        interpretation.Rating.Should().Be(expectedRating);
        interpretation.Failed.Should().Be(expectedFailed);
        interpretation.Reason.Should().StartWith("BLEU = ");
    }

    [Theory]
    [InlineData(0.2, EvaluationRating.Poor)]
    [InlineData(0.4, EvaluationRating.Average)]
    [InlineData(0.6, EvaluationRating.Good)]
    [InlineData(0.8, EvaluationRating.Exceptional)]
    public void Interpret_JustAboveThreshold_NextBand(double threshold, EvaluationRating expectedRating)
    {
        var metric = new NumericMetric("chrF", Math.BitIncrement(threshold));

        EvaluationMetricInterpretation interpretation = TextEvaluation.Interpret(metric);

        interpretation.Rating.Should().Be(expectedRating);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.0000000000000002)]
    public void Interpret_ValueOutsideUnitRange_Inconclusive(double value)
    {
        var metric = new NumericMetric("ROUGE-1", value);

        EvaluationMetricInterpretation interpretation = TextEvaluation.Interpret(metric);

        interpretation.Rating.Should().Be(EvaluationRating.Inconclusive);
        interpretation.Failed.Should().BeFalse();
    }

    [Fact]
    public void Interpret_NoValue_Inconclusive()
    {
        var metric = new NumericMetric("ROUGE-1");

        EvaluationMetricInterpretation interpretation = TextEvaluation.Interpret(metric);

        interpretation.Rating.Should().Be(EvaluationRating.Inconclusive);
    }

    [Theory]
    [InlineData(100.00000000000004, 1.0)]
    [InlineData(100.0, 1.0)]
    [InlineData(25.0, 0.25)]
    [InlineData(0.0, 0.0)]
    public void ToUnitScale_Percent_DividedBy100AndCappedAtOne(double percent, double expected)
    {
        double value = TextEvaluation.ToUnitScale(percent);

        value.Should().Be(expected);
    }
}
