namespace PromptKit.Tests.Policies;

public sealed class DiscretePolicyExtensionsTests
{
    private sealed class LinearPolicy : IDiscretePolicy
    {
        public int ObservationSize => 2;

        public int ActionCount => 3;

        public void ComputeLogits(ReadOnlySpan<float> observation, Span<float> logits)
        {
            logits[0] = observation[0];
            logits[1] = observation[1];
            logits[2] = 0f;
        }
    }

    [Fact]
    public void SelectAction_Greedy_TakesBestAndReportsLogProbability()
    {
        var policy = new LinearPolicy();

        PolicyDecision decision = policy.SelectAction([2f, 1f], ActionSelection.Greedy);

        decision.Action.Should().Be(0);
        decision.LogProbability.Should().BeApproximately(PolicyMath.LogProbability([2f, 1f, 0f], 0), 1e-6f);
        decision.Probability.Should().BeApproximately(MathF.Exp(decision.LogProbability), 1e-7f);
    }

    [Fact]
    public void SelectAction_SampleWithSeed_IsReproducible()
    {
        var policy = new LinearPolicy();

        int[] a = Enumerable.Range(0, 50).Select(_ => 0).ToArray();
        var r1 = new Random(5);
        var r2 = new Random(5);
        int[] first = a.Select(_ => policy.SelectAction([0.5f, 0.2f], ActionSelection.Sample, r1).Action).ToArray();
        int[] second = a.Select(_ => policy.SelectAction([0.5f, 0.2f], ActionSelection.Sample, r2).Action).ToArray();

        first.Should().Equal(second);
        first.Distinct().Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public void SelectAction_Mask_Respected()
    {
        PolicyDecision decision = new LinearPolicy().SelectAction([5f, 1f], ActionSelection.Greedy, mask: [false, true, true]);

        decision.Action.Should().Be(1);
    }

    [Fact]
    public void GetProbabilities_SumToOne()
    {
        float[] p = new float[3];

        new LinearPolicy().GetProbabilities([1f, 1f], p);

        p.Sum().Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var policy = new LinearPolicy();

        FluentActions.Invoking(() => ((IDiscretePolicy)null!).SelectAction([1f, 1f], ActionSelection.Greedy)).Should().Throw<ArgumentNullException>().WithParameterName("policy");
        FluentActions.Invoking(() => policy.SelectAction([1f, 1f], ActionSelection.Sample)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => policy.SelectAction([1f], ActionSelection.Greedy)).Should().Throw<ArgumentException>().WithParameterName("observation");
        FluentActions.Invoking(() => policy.SelectAction([1f, 1f], (ActionSelection)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("selection");
        FluentActions.Invoking(() => policy.GetProbabilities([1f, 1f], new float[2])).Should().Throw<ArgumentException>().WithParameterName("destination");
    }
}
