using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Personalization;

public sealed class RppPromptComposerTests
{
    private static readonly RppActionSpaces Spaces = RppActionSpaces.Default;
    private static readonly RppPromptComposer Composer = new(Spaces);

    private static int HistoryIndex(int add, bool ratings, HistoryOrder order) =>
        Spaces.HistoryRecords.IndexOf(new HistoryRecordsAction(add, ratings, order));

    [Fact]
    public void Compose_MostRecentWithRatings_WritesEveryPatternInOrder()
    {
        var selection = new RppSelection(1, HistoryIndex(1, true, HistoryOrder.MostRecent), 0, 0);

        Prompt prompt = Composer.Compose(RppTestData.Example(), selection, 3);
        string text = Composer.Render(prompt);

        prompt.Components.Select(c => c.Name).Should().Equal("role", "instruction", "history_description", "history", "reasoning", "format", "candidates");
        prompt["role"].Text.Should().Be(Spaces.RolePlaying[1]);
        prompt["instruction"].Text.Should().StartWith("Rank the 4 candidate movies");
        prompt["history"].Items.Should().Equal(
            "Tom &amp; Jerry <The Movie> (1992) [Animation], rated 1".Replace("&amp;", "&", StringComparison.Ordinal),
            "Casablanca (1942) [Drama, Romance], rated 4",
            "Matrix, The (1999) [Action, Sci-Fi], rated 2");
        prompt["history"].IsUserContent.Should().BeTrue();
        prompt["candidates"].IsUserContent.Should().BeTrue();
        prompt["candidates"].Items.Should().Equal("[m10] Aliens (1986)", "[m11] American President, The (1995)", "[m12] 12 Angry Men (1957)", "[m13] Alien vs. Predator (2004)");
        text.Should().Contain("Tom & Jerry &lt;The Movie&gt;").And.NotContain("<The Movie>"); // user data is escaped, never spliced raw
        text.IndexOf(Spaces.ReasoningGuidance[0], StringComparison.Ordinal).Should().BeLessThan(text.IndexOf(Spaces.OutputFormat[0], StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_HighestRatedWithoutRatings_NoRoleNoGuidanceWhenEmpty()
    {
        RppActionSpaces spaces = new RppActionSpacesBuilder().AddReasoningGuidance(string.Empty).Build();
        var composer = new RppPromptComposer(spaces);
        var selection = new RppSelection(0, HistoryIndex(0, false, HistoryOrder.HighestRated), spaces.ReasoningGuidance.Length - 1, 1);

        Prompt prompt = composer.Compose(RppTestData.Example(), selection, 4);

        prompt.Contains("role").Should().BeFalse();
        prompt.Contains("reasoning").Should().BeFalse();
        prompt["history"].Items.Should().Equal("Alien (1979) [Horror, Sci-Fi]", "Heat (1995) [Crime]", "Casablanca (1942) [Drama, Romance]", "Toy Story (1995) [Animation, Comedy]");
        prompt["history_description"].Text.Should().Contain("highest-rated");
    }

    [Fact]
    public void Compose_ZeroHistory_LeavesHistoryOut_RefinedTextsReplaceSentences()
    {
        RppSelection selection = new RppSelection(2, 0, 3, 4)
            .WithRefinedText(RppPattern.RolePlaying, "You are a great critic.")
            .WithRefinedText(RppPattern.OutputFormat, "Write \"[id] Title\" lines.");

        Prompt none = Composer.Compose(RppTestData.Example(), selection, 0);
        Prompt all = Composer.Compose(RppTestData.Example(), selection, 15);

        none.Contains("history").Should().BeFalse();
        none.Contains(RppPromptComposer.HistoryDescriptionComponentName).Should().BeFalse();
        none["role"].Text.Should().Be("You are a great critic.");
        none["format"].Text.Should().Be("Write \"[id] Title\" lines.");
        all["history"].Items.Should().HaveCount(6);
    }

    [Fact]
    public void ComposeMessages_SystemHoldsRoleAndTask_UserHoldsTheRest()
    {
        IReadOnlyList<ChatMessage> messages = Composer.ComposeMessages(RppTestData.Example(), new RppSelection(1, 0, 0, 0), 3);

        messages.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User);
        messages[0].Text.Should().Contain(Spaces.RolePlaying[1]).And.Contain("Rank the 4 candidate movies");
        messages[1].Text.Should().Contain("[m13] Alien vs. Predator (2004)").And.Contain(Spaces.OutputFormat[0]);
    }

    [Fact]
    public void Compose_BadArguments_Throw()
    {
        RecommendationExample example = RppTestData.Example();
        var selection = new RppSelection(0, 0, 0, 0);

        FluentActions.Invoking(() => Composer.Compose(null!, selection, 3)).Should().Throw<ArgumentNullException>().WithParameterName("example");
        FluentActions.Invoking(() => Composer.Compose(example, null!, 3)).Should().Throw<ArgumentNullException>().WithParameterName("selection");
        FluentActions.Invoking(() => Composer.Compose(example, selection, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("historyCount");
        FluentActions.Invoking(() => Composer.Compose(example, selection, 16)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("historyCount");
        FluentActions.Invoking(() => Composer.Compose(example, new RppSelection(0, 12, 0, 0), 3)).Should().Throw<ArgumentException>().WithParameterName("selection");
        FluentActions.Invoking(() => new RppPromptComposer(null!)).Should().Throw<ArgumentNullException>().WithParameterName("spaces");
    }

    [Theory]
    [InlineData(0, 3, 3)]
    [InlineData(1, 3, 4)]
    [InlineData(2, 3, 5)]
    [InlineData(2, 14, 15)]
    [InlineData(2, 15, 15)]
    public void NextHistoryCount_AddsAndCaps(int add, int current, int expected)
    {
        var selection = new RppSelection(0, HistoryIndex(add, true, HistoryOrder.MostRecent), 0, 0);

        Composer.NextHistoryCount(current, selection).Should().Be(expected);
    }

    public static TheoryData<int, string> AnswersInEachFormat() => new()
    {
        { 0, "1. 12 Angry Men (1957)\n2. American President, The (1995)\n3. Alien vs. Predator (2004)\n4. Aliens (1986)" },
        { 1, "m12, m11, m13, m10" },
        { 2, "[\"m12\", \"m11\", \"m13\", \"m10\"]" },
        { 3, "1. 12 Angry Men (1957) - a courtroom drama like Casablanca.\n2. The American President - a warm comedy-drama.\n3. Alien vs. Predator - sci-fi like The Matrix.\n4. Aliens - horror, which the user rates low." },
        { 4, "[m12] 12 Angry Men (1957)\n[m11] American President, The (1995)\n[m13] Alien vs. Predator (2004)\n[m10] Aliens (1986)" },
    };

    [Theory]
    [MemberData(nameof(AnswersInEachFormat))]
    public void Answer_InEveryDefaultFormat_ParsesIntoTheRanking(int format, string answer)
    {
        RecommendationExample example = RppTestData.Example(targetIndex: 2);
        Prompt prompt = Composer.Compose(example, new RppSelection(0, 0, 0, format), 3);
        prompt["format"].Text.Should().Be(Spaces.OutputFormat[format]);

        RankingRewardResult result = new NdcgReward().Evaluate(answer, example.RankingTarget);

        result.Parse.Ranking.Should().Equal(2, 1, 3, 0);
        result.Parse.MatchedCount.Should().Be(4);
        result.Reward.Should().Be(1.0);
    }
}
