namespace PromptKit.Tests.Rewards;

public sealed class RougeRewardTests
{
    [Fact]
    public void Compute_MultipleReferences_TakesBestF()
    {
        var reward = new RougeReward(RougeType.RougeL, useStemmer: true);
        var metric = new RougeMetric(new RougeOptions { UseStemmer = true });

        double value = reward.Compute("cats are running home", ["dogs sleep", "the cat runs home"]);

        value.Should().Be(metric.Score("the cat runs home", "cats are running home")[RougeType.RougeL].FMeasure);
        reward.Name.Should().Be("rougeL");
        reward.Type.Should().Be(RougeType.RougeL);
    }

    [Fact]
    public void Compute_IdenticalText_IsOne() =>
        new RougeReward(RougeType.Rouge2).Compute("a b c d", ["a b c d"]).Should().Be(1.0);

    [Fact]
    public void InvalidArguments_Throw()
    {
        var reward = new RougeReward();

        FluentActions.Invoking(() => new RougeReward((RougeType)42)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("type");
        reward.Invoking(r => r.Compute(null!, ["x"])).Should().Throw<ArgumentNullException>().WithParameterName("output");
        reward.Invoking(r => r.Compute("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("target");
        reward.Invoking(r => r.Compute("x", [])).Should().Throw<ArgumentException>();
    }
}
