namespace PromptKit.Tests.Personalization;

public sealed class RppActionSpacesTests
{
    [Fact]
    public void Default_HasDocumentedSizes()
    {
        RppActionSpaces spaces = RppActionSpaces.Default;

        spaces.ActionCounts.Should().Equal(5, 12, 10, 5);
        spaces.RolePlaying.Should().Contain(string.Empty);
        spaces.InitialHistoryCount.Should().Be(3);
        spaces.MaxHistoryCount.Should().Be(15);
        spaces.HistoryRecords.Select(a => a.ItemsToAdd).Distinct().Should().BeEquivalentTo([0, 1, 2]);
        spaces.HistoryRecords.Select(a => (a.IncludeRatings, a.Order)).Distinct().Should().HaveCount(4);
        spaces.GetActionCount(RppPattern.ReasoningGuidance).Should().Be(10);
        spaces.ReasoningGuidance.Should().Contain(s => s.Contains("people who liked", StringComparison.Ordinal), "the collaborative strategy is covered");
        spaces.GetSentence(RppPattern.HistoryRecords, 0).Should().Be(spaces.HistoryRecords[0].Description);
        spaces.GetSentence(RppPattern.OutputFormat, 2).Should().Contain("JSON");
    }

    [Fact]
    public void GetSentence_OutOfRange_Throws()
    {
        FluentActions.Invoking(() => RppActionSpaces.Default.GetSentence(RppPattern.OutputFormat, 5))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("index");
        FluentActions.Invoking(() => RppActionSpaces.Default.GetSentence((RppPattern)9, 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pattern");
    }

    [Fact]
    public void Builder_CustomSpaces_KeepsOrder()
    {
        RppActionSpaces spaces = RppActionSpacesBuilder.Empty()
            .AddRolePlaying(string.Empty)
            .AddRolePlaying("You are a critic.")
            .WithReasoningGuidance(["Think.", "Compare."])
            .AddOutputFormat("Answer with ids.")
            .AddHistoryRecords(new HistoryRecordsAction(1, includeRatings: true))
            .WithInitialHistoryCount(0)
            .WithMaxHistoryCount(4)
            .Build();

        spaces.ActionCounts.Should().Equal(2, 1, 2, 1);
        spaces.ReasoningGuidance.Should().Equal("Think.", "Compare.");
        spaces.InitialHistoryCount.Should().Be(0);
        spaces.MaxHistoryCount.Should().Be(4);
    }

    [Fact]
    public void Builder_DefaultsPlusOne_AddsToDefaults()
    {
        RppActionSpaces spaces = new RppActionSpacesBuilder().AddReasoningGuidance("Consider the directors the user likes.").Build();

        spaces.ReasoningGuidance.Should().HaveCount(RppActionSpaces.Default.ReasoningGuidance.Length + 1);
        spaces.ReasoningGuidance[^1].Should().Be("Consider the directors the user likes.");
    }

    [Fact]
    public void Build_InvalidComposition_ListsEveryProblem()
    {
        RppActionSpacesBuilder builder = RppActionSpacesBuilder.Empty()
            .AddRolePlaying("You are a critic.")
            .AddRolePlaying("You are a critic. ")
            .AddHistoryRecords(new HistoryRecordsAction(1, true))
            .AddHistoryRecords(new HistoryRecordsAction(1, true, HistoryOrder.MostRecent, "Other words."))
            .WithInitialHistoryCount(9)
            .WithMaxHistoryCount(5);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*RolePlaying sentence at index 1*repeats*ReasoningGuidance space is empty*AddReasoningGuidance*OutputFormat space is empty*HistoryRecords action at index 1*repeats*initial history count (9) exceeds the maximum (5)*");
    }

    [Fact]
    public void Builder_BadArguments_ThrowAtOnce()
    {
        var builder = new RppActionSpacesBuilder();

        FluentActions.Invoking(() => builder.AddRolePlaying(null!)).Should().Throw<ArgumentNullException>().WithParameterName("sentence");
        FluentActions.Invoking(() => builder.AddOutputFormat(" ")).Should().Throw<ArgumentException>().WithParameterName("sentence");
        FluentActions.Invoking(() => builder.AddReasoningGuidance("a\nb")).Should().Throw<ArgumentException>().WithParameterName("sentence");
        FluentActions.Invoking(() => builder.WithRolePlaying(null!)).Should().Throw<ArgumentNullException>().WithParameterName("sentences");
        FluentActions.Invoking(() => builder.WithOutputFormat(["ok", null!])).Should().Throw<ArgumentException>().WithParameterName("sentences");
        FluentActions.Invoking(() => builder.AddHistoryRecords(null!)).Should().Throw<ArgumentNullException>().WithParameterName("action");
        FluentActions.Invoking(() => builder.WithHistoryRecords([null!])).Should().Throw<ArgumentException>().WithParameterName("actions");
        FluentActions.Invoking(() => builder.WithInitialHistoryCount(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
        FluentActions.Invoking(() => builder.WithMaxHistoryCount(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }

    [Fact]
    public void HistoryRecordsAction_ValidatesAndComparesByBehaviour()
    {
        FluentActions.Invoking(() => new HistoryRecordsAction(-1, true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("itemsToAdd");
        FluentActions.Invoking(() => new HistoryRecordsAction(1, true, (HistoryOrder)5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("order");
        FluentActions.Invoking(() => new HistoryRecordsAction(1, true, HistoryOrder.MostRecent, "")).Should().Throw<ArgumentException>().WithParameterName("description");
        new HistoryRecordsAction(2, false, HistoryOrder.HighestRated, "x").Should().Be(new HistoryRecordsAction(2, false, HistoryOrder.HighestRated));
        new HistoryRecordsAction(2, false).Description.Should().Contain("most recently").And.NotContain("rating");
        new HistoryRecordsAction(2, true, HistoryOrder.HighestRated).Description.Should().Contain("highest-rated").And.Contain("rating");
    }
}
