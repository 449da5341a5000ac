namespace PromptKit.Tests.Rewards;

public sealed class WeightedRewardBuilderTests
{
    [Fact]
    public void Build_WeightedSum_ComputesAndNames()
    {
        IReward<IReadOnlyList<string>> reward = new WeightedRewardBuilder<IReadOnlyList<string>>()
            .Add(new RougeReward(RougeType.Rouge1), 0.25)
            .Add(new RougeReward(RougeType.Rouge2), 0.75)
            .Build();
        var r1 = new RougeReward(RougeType.Rouge1);
        var r2 = new RougeReward(RougeType.Rouge2);
        const string Output = "the quick brown fox";
        string[] references = ["the quick red fox"];

        double value = reward.Compute(Output, references);

        value.Should().BeApproximately((0.25 * r1.Compute(Output, references)) + (0.75 * r2.Compute(Output, references)), 1e-15);
        reward.Name.Should().Be("0.25*rouge1+0.75*rouge2");
    }

    [Fact]
    public void Build_Empty_Throws()
    {
        Action act = () => new WeightedRewardBuilder<string>().Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*Add*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Add_BadWeight_Throws(double weight)
    {
        Action act = () => new WeightedRewardBuilder<IReadOnlyList<string>>().Add(new RougeReward(), weight);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weight");
    }

    [Fact]
    public void Add_Null_Throws() =>
        FluentActions.Invoking(() => new WeightedRewardBuilder<string>().Add(null!)).Should().Throw<ArgumentNullException>().WithParameterName("reward");
}
