using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Personalization;

public sealed class RppRefinementTests
{
    [Fact]
    public void CreateRequest_SystemInstructionThenSentence()
    {
        IReadOnlyList<ChatMessage> messages = RppRefinement.CreateRequest(RppPattern.ReasoningGuidance, "Think step by step.");

        messages.Should().HaveCount(2);
        messages[0].Role.Should().Be(ChatRole.System);
        messages[0].Text.Should().Be("Rewrite this reasoning-guidance sentence of a movie-recommendation prompt to be clearer and more effective. Answer with the rewritten sentence only.");
        messages[1].Role.Should().Be(ChatRole.User);
        messages[1].Text.Should().Be("Think step by step.");
        RppRefinement.GetPatternName(RppPattern.RolePlaying).Should().Be("role-playing");
        RppRefinement.GetInstruction(RppPattern.OutputFormat).Should().Contain("output-format sentence");
    }

    [Fact]
    public void CreateRequest_BadArguments_Throw()
    {
        FluentActions.Invoking(() => RppRefinement.CreateRequest(RppPattern.RolePlaying, "")).Should().Throw<ArgumentException>().WithParameterName("sentence");
        FluentActions.Invoking(() => RppRefinement.CreateRequest(RppPattern.RolePlaying, null!)).Should().Throw<ArgumentNullException>().WithParameterName("sentence");
        FluentActions.Invoking(() => RppRefinement.CreateRequest((RppPattern)4, "x")).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pattern");
    }

    [Theory]
    [InlineData("  Think it through.  ", "Think it through.")]
    [InlineData("\"Think it through.\"", "Think it through.")]
    [InlineData("\u201cThink it through.\u201d", "Think it through.")]
    [InlineData("`'Think it through.'`", "Think it through.")]
    [InlineData("Here is the rewritten sentence:\n\n\"Think it through.\"", "Think it through.")]
    [InlineData("<think>hmm</think>\nThink it through.", "Think it through.")]
    public void ParseResponse_CleansTheSentence(string answer, string expected) =>
        RppRefinement.ParseResponse(answer).Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("  \"\"  ")]
    [InlineData("First option.\nSecond option.\nThird option.")]
    [InlineData("<think>still thinking")]
    public void ParseResponse_NothingUsable_ReturnsNull(string answer) =>
        RppRefinement.ParseResponse(answer).Should().BeNull();

    [Fact]
    public void ParseResponse_TooLong_ReturnsNull_Null_Throws()
    {
        RppRefinement.ParseResponse(new string('a', RppRefinement.MaxSentenceLength + 1)).Should().BeNull();
        RppRefinement.ParseResponse(new string('a', RppRefinement.MaxSentenceLength)).Should().HaveLength(RppRefinement.MaxSentenceLength);
        FluentActions.Invoking(() => RppRefinement.ParseResponse(null!)).Should().Throw<ArgumentNullException>().WithParameterName("text");
    }
}
