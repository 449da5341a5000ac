namespace PromptKit.Tests.Rewards;

public sealed class ChrfRewardTests
{
    [Theory]
    [InlineData(0, "chrF2", "chrf")]
    [InlineData(2, "chrF2++", "chrf++")]
    public void Compute_MatchesSacrebleuOverHundred(int wordOrder, string key, string name)
    {
        var reward = new ChrfReward(new ChrfOptions { WordOrder = wordOrder });

        foreach (System.Text.Json.JsonElement e in Metrics.MetricFixtures.TextCases.Take(60))
        {
            double expected = e.GetProperty("sentence_chrf").GetProperty(key).GetProperty("score").GetDouble() / 100.0;
            reward.Compute(e.GetProperty("hypothesis").GetString()!, Metrics.MetricFixtures.References(e)).Should().BeApproximately(expected, 1e-12);
        }

        reward.Name.Should().Be(name);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var reward = new ChrfReward();

        reward.Invoking(r => r.Compute(null!, ["x"])).Should().Throw<ArgumentNullException>().WithParameterName("output");
        reward.Invoking(r => r.Compute("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("target");
    }
}
