namespace PromptKit.Tests.Evaluation;

public sealed class PromptEvaluationTests
{
    [Theory]
    [InlineData(EvaluationStatus.Succeeded, true)]
    [InlineData(EvaluationStatus.Empty, false)]
    [InlineData(EvaluationStatus.Malformed, false)]
    [InlineData(EvaluationStatus.Failed, false)]
    [InlineData(EvaluationStatus.TimedOut, false)]
    public void IsSuccess_OnlySucceededStatus_IsTrue(EvaluationStatus status, bool expected)
    {
        var evaluation = new PromptEvaluation { Status = status, Text = "text" };

        evaluation.IsSuccess.Should().Be(expected);
    }
}
