namespace PromptKit.Training.Tests;

public sealed class AdvantageEstimationTests
{
    [Fact]
    public void ComputeGae_MatchesHandComputedValues()
    {
        // One environment, three steps, episode ends after step 1 (index 1).
        float[] rewards = [1f, 2f, 3f];
        float[] values = [0.5f, 1f, 2f];
        float[] ends = [0f, 1f, 0f];
        float[] last = [4f];
        var advantages = new float[3];
        var returns = new float[3];

        AdvantageEstimation.ComputeGae(rewards, values, ends, last, gamma: 0.9, lambda: 0.8, advantages, returns);

        double d2 = 3 + (0.9 * 4) - 2;        // 4.6
        double d1 = 2 - 1;                     // terminal: 1
        double d0 = 1 + (0.9 * 1) - 0.5;       // 1.4
        double a0 = d0 + (0.9 * 0.8 * d1);
        advantages.Should().Equal([(float)a0, (float)d1, (float)d2]);
        returns[0].Should().BeApproximately((float)(a0 + 0.5), 1e-6f);
    }

    [Fact]
    public void ComputeGae_LambdaZero_IsTheTdError()
    {
        float[] rewards = [1f, 0f, 1f, 0f];  // two environments, two steps
        float[] values = [0.2f, 0.4f, 0.6f, 0.8f];
        float[] ends = [0f, 0f, 0f, 0f];
        float[] last = [1f, 2f];
        var advantages = new float[4];
        var returns = new float[4];

        AdvantageEstimation.ComputeGae(rewards, values, ends, last, 0.95, 0, advantages, returns);

        advantages[0].Should().BeApproximately((float)(1 + (0.95 * 0.6) - 0.2), 1e-6f);
        advantages[3].Should().BeApproximately((float)(0 + (0.95 * 2) - 0.8), 1e-6f);
    }

    [Fact]
    public void ComputeGae_NaNReward_ThrowsNamingTheIndex()
    {
        Action act = () => AdvantageEstimation.ComputeGae([float.NaN], [0f], [0f], [0f], 0.9, 0.9, new float[1], new float[1]);

        act.Should().Throw<ArgumentException>().WithParameterName("rewards").WithMessage("*index 0*");
    }

    [Theory]
    [InlineData(-0.1, 0.5, "gamma")]
    [InlineData(0.5, 1.1, "lambda")]
    public void ComputeGae_OutOfRange_ThrowsWithParamName(double gamma, double lambda, string name)
    {
        Action act = () => AdvantageEstimation.ComputeGae([0f], [0f], [0f], [0f], gamma, lambda, new float[1], new float[1]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name);
    }

    [Fact]
    public void ComputeGae_MismatchedLengths_Throws()
    {
        Action act = () => AdvantageEstimation.ComputeGae([0f, 0f], [0f], [0f, 0f], [0f], 0.9, 0.9, new float[2], new float[2]);

        act.Should().Throw<ArgumentException>().WithParameterName("values");
    }

    [Fact]
    public void CenterPerEpisode_SubtractsEachEpisodesWeightedMean()
    {
        // Two environments, step-major [t0e0, t0e1, t1e0, t1e1, t2e0, t2e1]. Environment 0: an episode ends after t0,
        // the next runs t1..t2 (cut by the rollout). Environment 1: one episode; its t1 slot was dropped (weight 0).
        float[] advantages = [5f, 1f, 2f, 100f, 4f, 3f];
        float[] ends = [1f, 0f, 0f, 0f, 0f, 1f];
        float[] weights = [1f, 1f, 1f, 0f, 1f, 1f];

        AdvantageEstimation.CenterPerEpisode(advantages, ends, weights, environments: 2);

        advantages.Should().Equal([0f, -1f, -1f, 100f, 1f, 1f]);
    }

    [Fact]
    public void CenterPerEpisode_BadArguments_Throw()
    {
        FluentActions.Invoking(() => AdvantageEstimation.CenterPerEpisode(new float[3], new float[3], new float[3], 2)).Should().Throw<ArgumentException>().WithParameterName("advantages");
        FluentActions.Invoking(() => AdvantageEstimation.CenterPerEpisode(new float[4], new float[3], new float[4], 2)).Should().Throw<ArgumentException>().WithParameterName("episodeEnds");
        FluentActions.Invoking(() => AdvantageEstimation.CenterPerEpisode(new float[4], new float[4], new float[4], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("environments");
    }
}
