namespace PromptKit.Tests.Ranking;

public sealed class RankingCandidateTests
{
    [Fact]
    public void Constructor_ValidArguments_SetsProperties()
    {
        var candidate = new RankingCandidate("12", "Alien (1979)");

        candidate.Id.Should().Be("12");
        candidate.Title.Should().Be("Alien (1979)");
        candidate.ToString().Should().Be("[12] Alien (1979)");
    }

    [Fact]
    public void Constructor_EmptyTitle_Allowed()
    {
        var candidate = new RankingCandidate("12", string.Empty);

        candidate.ToString().Should().Be("[12]");
    }

    [Fact]
    public void Constructor_NullId_ThrowsWithParamName()
    {
        Action act = () => _ = new RankingCandidate(null!, "Alien");

        act.Should().Throw<ArgumentNullException>().WithParameterName("id");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankId_ThrowsWithParamName(string id)
    {
        Action act = () => _ = new RankingCandidate(id, "Alien");

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(id));
    }

    [Fact]
    public void Constructor_NullTitle_ThrowsWithParamName()
    {
        Action act = () => _ = new RankingCandidate("1", null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("title");
    }
}
