namespace PromptKit.Tests.Metrics;

public sealed class RougeOptionsTests
{
    [Fact]
    public void Defaults_MatchRougeScoreDefaults()
    {
        var options = new RougeOptions();

        options.UseStemmer.Should().BeFalse();
        options.Types.Should().Equal(RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum);
    }

    [Fact]
    public void Types_EachInstance_GetsItsOwnDefaultList()
    {
        var first = new RougeOptions();
        var second = new RougeOptions();

        first.Types = [RougeType.RougeL];

        second.Types.Should().HaveCount(4);
    }
}
