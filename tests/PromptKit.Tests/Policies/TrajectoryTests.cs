using System.Collections.Immutable;

namespace PromptKit.Tests.Policies;

public sealed class TrajectoryTests
{
    private static Transition Step(double reward, bool terminal = false, bool truncated = false) =>
        new([0f], [0], [-0.5f], reward, [1f], terminal, truncated);

    [Fact]
    public void ComputeReturns_TerminalEnd_DiscountsBackwards()
    {
        var trajectory = new Trajectory([Step(1), Step(0), Step(2, terminal: true)]);
        double[] returns = new double[3];

        trajectory.ComputeReturns(0.5, returns, bootstrapValue: 100);

        returns.Should().Equal(1 + (0.5 * (0 + (0.5 * 2))), 0.5 * 2, 2);
        trajectory.TotalReward.Should().Be(3);
    }

    [Fact]
    public void ComputeReturns_TruncatedEnd_Bootstraps()
    {
        var trajectory = new Trajectory([Step(1, truncated: true)]);
        double[] returns = new double[1];

        trajectory.ComputeReturns(0.9, returns, bootstrapValue: 10);

        returns[0].Should().BeApproximately(1 + 9, 1e-12);
    }

    [Fact]
    public void Constructor_EndBeforeLast_Throws()
    {
        Action act = () => _ = new Trajectory([Step(1, terminal: true), Step(1)]);

        act.Should().Throw<ArgumentException>().WithParameterName("transitions").WithMessage("*index 0*");
    }

    [Fact]
    public void ComputeReturns_BadArguments_Throw()
    {
        var trajectory = new Trajectory([Step(1)]);

        trajectory.Invoking(t => t.ComputeReturns(1.5, new double[1])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma");
        trajectory.Invoking(t => t.ComputeReturns(double.NaN, new double[1])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma");
        trajectory.Invoking(t => t.ComputeReturns(0.9, new double[2])).Should().Throw<ArgumentException>().WithParameterName("destination");
        trajectory.Invoking(t => t.ComputeReturns(0.9, new double[1], double.NaN)).Should().Throw<ArgumentException>().WithParameterName("bootstrapValue");
    }

    [Fact]
    public void Transition_InvalidValues_ThrowNamingArgument()
    {
        FluentActions.Invoking(() => new Transition([0f], [0], [0f], double.NaN, [0f], false)).Should().Throw<ArgumentException>().WithParameterName("reward");
        FluentActions.Invoking(() => new Transition([float.NaN], [0], [0f], 0, [0f], false)).Should().Throw<ArgumentException>().WithParameterName("observation");
        FluentActions.Invoking(() => new Transition([0f], [0, 1], [0f], 0, [0f], false)).Should().Throw<ArgumentException>().WithParameterName("logProbabilities");
        FluentActions.Invoking(() => new Transition([0f], [], [], 0, [0f], false)).Should().Throw<ArgumentException>().WithParameterName("actions");
        FluentActions.Invoking(() => new Transition([0f], [-1], [0f], 0, [0f], false)).Should().Throw<ArgumentException>().WithParameterName("actions");
        FluentActions.Invoking(() => new Trajectory(null!)).Should().Throw<ArgumentNullException>().WithParameterName("transitions");
    }

    [Fact]
    public void EnvironmentStep_InvalidValues_Throw()
    {
        FluentActions.Invoking(() => new EnvironmentStep(ImmutableArray<float>.Empty)).Should().Throw<ArgumentException>().WithParameterName("observation");
        FluentActions.Invoking(() => new EnvironmentStep([1f], double.PositiveInfinity)).Should().Throw<ArgumentException>().WithParameterName("reward");
        new EnvironmentStep([1f], 1, isTruncated: true).IsDone.Should().BeTrue();
    }
}
