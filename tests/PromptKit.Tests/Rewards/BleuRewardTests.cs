namespace PromptKit.Tests.Rewards;

public sealed class BleuRewardTests
{
    [Theory]
    [MemberData(nameof(Metrics.MetricFixtures.TextCaseIds), MemberType = typeof(Metrics.MetricFixtures))]
    public void Compute_MatchesSacrebleuSentenceBleuOverHundred(string id)
    {
        System.Text.Json.JsonElement e = Metrics.MetricFixtures.TextById[id];
        double expected = e.GetProperty("sentence_bleu").GetProperty("exp").GetProperty("score").GetDouble() / 100.0;

        double value = new BleuReward().Compute(e.GetProperty("hypothesis").GetString()!, Metrics.MetricFixtures.References(e));

        value.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void NameAndSignature() =>
        new BleuReward().Signature.Should().Be("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0");

    [Fact]
    public void InvalidArguments_Throw()
    {
        var reward = new BleuReward();

        reward.Invoking(r => r.Compute(null!, ["x"])).Should().Throw<ArgumentNullException>().WithParameterName("output");
        reward.Invoking(r => r.Compute("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("target");
        reward.Invoking(r => r.Compute("x", [])).Should().Throw<ArgumentException>();
    }
}
