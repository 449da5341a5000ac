namespace PromptKit.Tests.Policies;

public sealed class PolicyMathTests
{
    [Fact]
    public void Softmax_SumsToOne_AndMatchesClosedForm()
    {
        float[] logits = [1f, 2f, 3f];
        float[] p = new float[3];

        PolicyMath.Softmax(logits, p);

        p.Sum().Should().BeApproximately(1f, 1e-6f);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        p[2].Should().BeApproximately((float)(Math.Exp(3) / z), 1e-6f);
    }

    [Fact]
    public void Softmax_Mask_ZeroesMaskedActions()
    {
        float[] p = new float[3];

        PolicyMath.Softmax([5f, 1f, 1f], p, [false, true, true]);

        p.Should().Equal(0f, 0.5f, 0.5f);
    }

    [Fact]
    public void LogSoftmax_LargeLogits_StaysFinite()
    {
        float[] lp = new float[2];

        PolicyMath.LogSoftmax([1000f, 0f], lp);

        lp[0].Should().BeApproximately(0f, 1e-6f);
        lp[1].Should().BeApproximately(-1000f, 1e-3f);
        PolicyMath.LogProbability([1000f, 0f], 1).Should().BeApproximately(-1000f, 1e-3f);
    }

    [Fact]
    public void Entropy_UniformAndCertain()
    {
        PolicyMath.Entropy([0f, 0f, 0f, 0f]).Should().BeApproximately(MathF.Log(4), 1e-6f);
        PolicyMath.Entropy([3f, 0f], [true, false]).Should().Be(0f);
    }

    [Fact]
    public void ArgMax_TiesTakeLowestIndex_MaskRespected()
    {
        PolicyMath.ArgMax([1f, 3f, 3f]).Should().Be(1);
        PolicyMath.ArgMax([9f, 3f, 4f], [false, true, true]).Should().Be(2);
    }

    [Fact]
    public void Sample_FrequenciesMatchProbabilities_Seeded()
    {
        var random = new Random(1234);
        float[] logits = [0f, MathF.Log(3f)]; // p = 0.25, 0.75
        int ones = 0;

        for (int i = 0; i < 20_000; i++)
        {
            ones += PolicyMath.Sample(logits, random);
        }

        (ones / 20_000.0).Should().BeApproximately(0.75, 0.015);
    }

    [Fact]
    public void Sample_NeverPicksMaskedAction()
    {
        var random = new Random(7);

        for (int i = 0; i < 1000; i++)
        {
            PolicyMath.Sample([10f, 0f, 10f], random, [false, true, false]).Should().Be(1);
        }
    }

    [Fact]
    public void InvalidInputs_ThrowWithParameterName()
    {
        float[] d = new float[2];

        FluentActions.Invoking(() => PolicyMath.Softmax([], d)).Should().Throw<ArgumentException>().WithParameterName("logits");
        FluentActions.Invoking(() => PolicyMath.Softmax([1f, float.NaN], d)).Should().Throw<ArgumentException>().WithParameterName("logits").WithMessage("*index 1*");
        FluentActions.Invoking(() => PolicyMath.Softmax([1f, 2f, 3f], d)).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => PolicyMath.Softmax([1f, 2f], d, [true])).Should().Throw<ArgumentException>().WithParameterName("mask");
        FluentActions.Invoking(() => PolicyMath.Softmax([1f, 2f], d, [false, false])).Should().Throw<ArgumentException>().WithParameterName("mask");
        FluentActions.Invoking(() => PolicyMath.Sample([1f], null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => PolicyMath.LogProbability([1f], 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("action");
        FluentActions.Invoking(() => PolicyMath.Entropy([float.PositiveInfinity])).Should().Throw<ArgumentException>().WithParameterName("logits");
    }
}
