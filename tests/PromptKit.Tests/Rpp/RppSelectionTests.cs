namespace PromptKit.Tests.Personalization;

public sealed class RppSelectionTests
{
    [Fact]
    public void FromSpan_MatchesPatternOrder()
    {
        var selection = new RppSelection([1, 2, 3, 4]);
        Span<int> copy = stackalloc int[4];
        selection.CopyTo(copy);

        selection.RolePlaying.Should().Be(1);
        selection[RppPattern.HistoryRecords].Should().Be(2);
        selection.ReasoningGuidance.Should().Be(3);
        selection[RppPattern.OutputFormat].Should().Be(4);
        copy.ToArray().Should().Equal(1, 2, 3, 4);
        selection.Should().Be(new RppSelection(1, 2, 3, 4));
        selection.ToString().Should().Be("RP=1 HR=2 RG=3 OF=4");
    }

    [Fact]
    public void Constructor_BadIndices_Throw()
    {
        FluentActions.Invoking(() => new RppSelection([1, 2, 3])).Should().Throw<ArgumentException>().WithParameterName("indices");
        FluentActions.Invoking(() => new RppSelection(0, -1, 0, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("historyRecords");
    }

    [Fact]
    public void Validate_OutsideSpaces_NamesEveryPattern()
    {
        var selection = new RppSelection(5, 0, 10, 0);

        Action act = () => selection.Validate(RppActionSpaces.Default);

        act.Should().Throw<ArgumentException>().WithParameterName("spaces")
            .WithMessage("*RolePlaying index 5 is outside its space of 5 actions*ReasoningGuidance index 10*");
        new RppSelection(4, 11, 9, 4).Validate(RppActionSpaces.Default);
    }

    [Fact]
    public void WithRefinedText_ReturnsNewSelection()
    {
        var plain = new RppSelection(1, 0, 2, 3);

        RppSelection refined = plain.WithRefinedText(RppPattern.ReasoningGuidance, "Think harder.");

        plain.RefinedReasoningGuidance.Should().BeNull();
        refined.RefinedReasoningGuidance.Should().Be("Think harder.");
        refined.GetRefinedText(RppPattern.ReasoningGuidance).Should().Be("Think harder.");
        refined.Should().NotBe(plain);
        refined.WithRefinedText(RppPattern.ReasoningGuidance, null).Should().Be(plain);
        refined.ToString().Should().EndWith("(1 refined)");
        FluentActions.Invoking(() => plain.WithRefinedText(RppPattern.RolePlaying, " ")).Should().Throw<ArgumentException>().WithParameterName("text");
        FluentActions.Invoking(() => plain.WithRefinedText((RppPattern)7, "x")).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pattern");
    }
}
