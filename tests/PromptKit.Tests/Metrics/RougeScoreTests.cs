namespace PromptKit.Tests.Metrics;

public sealed class RougeScoreTests
{
    [Fact]
    public void Constructor_Values_AreExposed()
    {
        var score = new RougeScore(0.25, 0.5, 1.0 / 3.0);

        score.Precision.Should().Be(0.25);
        score.Recall.Should().Be(0.5);
        score.FMeasure.Should().Be(1.0 / 3.0);
    }

    [Fact]
    public void Equality_SameValues_AreEqual()
    {
        var a = new RougeScore(0.1, 0.2, 0.3);
        var b = new RougeScore(0.1, 0.2, 0.3);

        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a == new RougeScore(0.1, 0.2, 0.4)).Should().BeFalse();
    }

    [Fact]
    public void Default_IsAllZero()
    {
        RougeScore score = default;

        score.Should().Be(new RougeScore(0, 0, 0));
    }
}
