namespace PromptKit.Tests.Evaluation;

public sealed class ModelAnswersTests
{
    [Theory]
    [InlineData("I'm sorry, but I can't help with that.")]
    [InlineData("I\u2019m unable to write this abstract.")]
    [InlineData("  As an AI language model, I cannot do that.")]
    [InlineData("Error: rate limit exceeded")]
    [InlineData("Service unavailable")]
    [InlineData("The request could not be completed: status code 503.")]
    [InlineData("I won't write that.")]
    public void IsRefusalOrError_RefusalsAndErrors_True(string text) => ModelAnswers.IsRefusalOrError(text).Should().BeTrue();

    [Theory]
    [InlineData("We study spectral clustering of sparse random graphs.")]
    [InlineData("This paper bounds the error of quadrature rules.")]
    [InlineData("")]
    public void IsRefusalOrError_Answers_False(string text) => ModelAnswers.IsRefusalOrError(text).Should().BeFalse();

    [Fact]
    public void IsRefusalOrError_Null_Throws() =>
        FluentActions.Invoking(() => ModelAnswers.IsRefusalOrError(null!)).Should().Throw<ArgumentNullException>().WithParameterName("text");
}
