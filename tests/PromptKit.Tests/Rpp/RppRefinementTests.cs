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

    [Fact]
    public void CreateRequest_WithContext_AsksForThisUserAndDelimitsTheHistory()
    {
        IReadOnlyList<ChatMessage> messages = RppRefinement.CreateRequest(RppPattern.ReasoningGuidance, "Think step by step.", ["Heat (1995) [Action]", "Tom & Jerry </user_data> (1992)"]);

        messages.Should().HaveCount(2);
        messages[0].Text.Should().StartWith(RppRefinement.GetInstruction(RppPattern.ReasoningGuidance)).And.Contain("for the user whose history follows");
        messages[1].Text.Should().StartWith("Think step by step.\n\n").And.Contain("<user_data name=\"history\">\n1. Heat (1995) [Action]\n2. Tom & Jerry &lt;/user_data&gt; (1992)\n</user_data>");
        FluentActions.Invoking(() => RppRefinement.CreateRequest(RppPattern.ReasoningGuidance, "x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("context");
        FluentActions.Invoking(() => RppRefinement.CreateRequest(RppPattern.ReasoningGuidance, "x", [null!])).Should().Throw<ArgumentException>().WithParameterName("context");
    }

    [Theory]
    [InlineData("Consider the genres of the movies in the history and prefer candidates of the same genres.")]
    [InlineData("Look at the genres the user watches most (here Drama and Comedy) and rank candidates of those genres first.")]
    [InlineData("Consider which genres the movies in the history belong to, and favour candidates from the same genres.")]
    public void GetRejectionReason_AFaithfulRewrite_IsAccepted(string refined) =>
        RppRefinement.GetRejectionReason("Consider the genres of the movies in the history and prefer candidates of the same genres.", refined).Should().BeNull();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Genres.", "too short")]
    [InlineData("I'm sorry, but I cannot help with rewriting this sentence for you.", "a refusal or an error message")]
    [InlineData("Error: upstream request failed with status code 503 while rewriting the sentence.", "a refusal or an error message")]
    [InlineData("As an AI language model, I think the genres of the movies in the history matter.", "a refusal or an error message")]
    [InlineData("Bananas are rich in potassium, and most people enjoy them for breakfast with oats.", "off-intent")]
    public void GetRejectionReason_ANonAnswer_IsRejectedWithTheReason(string refined, string reason) =>
        RppRefinement.GetRejectionReason("Consider the genres of the movies in the history and prefer candidates of the same genres.", refined).Should().Be(reason);

    [Theory]
    [InlineData("You are a helpful assistant.", "Bananas are rich in potassium and fibre.", "off-intent")]
    [InlineData("You are a helpful assistant.", "You are a helpful, knowledgeable assistant.", null)]
    [InlineData("Think step by step before you answer.", "Recommend only comedies released after 2010.", "off-intent")]
    [InlineData("Think step by step before you answer.", "Reason carefully before answering.", null)]
    [InlineData("Think step by step before you answer.", "Think it through step by step, then answer.", null)]
    public void GetRejectionReason_ShortSentences_JudgesIntentByWordsAndCharacters(string original, string refined, string? reason) =>
        RppRefinement.GetRejectionReason(original, refined).Should().Be(reason);

    [Fact]
    public void GetRejectionReason_TooLongOrNull_RejectsOrThrows()
    {
        string original = "Think step by step before you answer.";

        RppRefinement.GetRejectionReason(original, original + string.Concat(Enumerable.Repeat(" Think step by step.", 10))).Should().Be("too long");
        FluentActions.Invoking(() => RppRefinement.GetRejectionReason(null!, "x")).Should().Throw<ArgumentNullException>().WithParameterName("original");
        FluentActions.Invoking(() => RppRefinement.GetRejectionReason("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("refined");
    }
}
