namespace PromptKit.Tests.Ranking;

public sealed class RankingParserOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new RankingParserOptions();

        options.MaxAnswerLength.Should().Be(65_536);
        options.OmittedOrder.Should().Be(OmittedCandidateOrder.Input);
        options.Seed.Should().Be(0);
    }
}
