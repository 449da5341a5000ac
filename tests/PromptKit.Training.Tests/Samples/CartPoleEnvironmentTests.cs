using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class CartPoleEnvironmentTests
{
    // Golden values: Gymnasium's CartPoleEnv.step (euler) evaluated in double precision by hand (plain Python floats).
    [Theory]
    [InlineData(0.01, -0.02, 0.03, 0.04, 1, 0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081)]
    [InlineData(0.01, -0.02, 0.03, 0.04, 0, 0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.34199522377603914)]
    [InlineData(-0.03, 0.5, -0.1, 0.7, 1, -0.019999999999999997, 0.6963556338700657, -0.08600000000000001, 0.37758696514104884)]
    public async Task StepAsync_FromKnownState_MatchesGymnasium(double x, double xDot, double theta, double thetaDot, int action, double x1, double xDot1, double theta1, double thetaDot1)
    {
        var environment = new CartPoleEnvironment(seed: 0);
        environment.ResetTo(x, xDot, theta, thetaDot);

        EnvironmentStep step = await environment.StepAsync(new[] { action });

        environment.State.X.Should().BeApproximately(x1, 1e-12);
        environment.State.XDot.Should().BeApproximately(xDot1, 1e-12);
        environment.State.Theta.Should().BeApproximately(theta1, 1e-12);
        environment.State.ThetaDot.Should().BeApproximately(thetaDot1, 1e-12);
        step.Observation.Should().Equal([(float)x1, (float)xDot1, (float)theta1, (float)thetaDot1], (a, b) => Math.Abs(a - b) <= 1e-6f);
        step.Reward.Should().Be(1.0);
        step.IsDone.Should().BeFalse();
    }

    [Fact]
    public async Task StepAsync_BalancedFor500Steps_TruncatesAtTheLimit()
    {
        var environment = new CartPoleEnvironment(seed: 0);
        EnvironmentStep step = environment.ResetTo(0, 0, 0, 0);
        int steps = 0;
        double total = 0;

        while (!step.IsDone)
        {
            // A hand-written controller that balances the pole from rest for well over 500 steps.
            int action = step.Observation[2] + (0.5f * step.Observation[3]) > 0 ? 1 : 0;
            step = await environment.StepAsync(new[] { action });
            steps++;
            total += step.Reward;
        }

        steps.Should().Be(CartPoleEnvironment.MaxEpisodeSteps);
        total.Should().Be(500);
        step.IsTruncated.Should().BeTrue();
        step.IsTerminal.Should().BeFalse();
    }

    [Theory]
    [InlineData(0, 0, 0.209, 1.0)]
    [InlineData(0, 0, -0.209, -1.0)]
    [InlineData(2.39, 1.0, 0, 0)]
    [InlineData(-2.39, -1.0, 0, 0)]
    public async Task StepAsync_PastAThreshold_TerminatesWithRewardOne(double x, double xDot, double theta, double thetaDot)
    {
        var environment = new CartPoleEnvironment(seed: 0);
        environment.ResetTo(x, xDot, theta, thetaDot);

        EnvironmentStep step = await environment.StepAsync(new[] { 1 });

        step.IsTerminal.Should().BeTrue();
        step.IsTruncated.Should().BeFalse();
        step.Reward.Should().Be(1.0);
        Func<Task> again = async () => await environment.StepAsync(new[] { 1 });
        await again.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task ResetAsync_SameSeed_SameStatesInsideTheStartBox()
    {
        var first = new CartPoleEnvironment(seed: 42);
        var second = new CartPoleEnvironment(seed: 42);

        for (int i = 0; i < 20; i++)
        {
            EnvironmentStep a = await first.ResetAsync();
            EnvironmentStep b = await second.ResetAsync();

            a.Observation.Should().Equal(b.Observation);
            a.Observation.Should().OnlyContain(v => v >= -0.05f && v <= 0.05f);
            first.EpisodeSteps.Should().Be(0);
        }
    }

    [Fact]
    public async Task LoadState_SavedMidEpisode_ReproducesTheTrajectoryAndLaterResets()
    {
        var original = new CartPoleEnvironment(seed: 7);
        var actions = new TrainingRandom(3);
        await original.ResetAsync();
        for (int i = 0; i < 10; i++)
        {
            await original.StepAsync(new[] { actions.Next(2) });
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            original.SaveState(writer);
        }

        var restored = new CartPoleEnvironment(seed: 999);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer))
        {
            restored.LoadState(reader);
        }

        restored.EpisodeSteps.Should().Be(10);
        var replay = new TrainingRandom(11);
        for (int i = 0; i < 300; i++)
        {
            int action = replay.Next(2);
            EnvironmentStep a = await original.StepAsync(new[] { action });
            EnvironmentStep b = await restored.StepAsync(new[] { action });
            a.Observation.Should().Equal(b.Observation);
            a.IsDone.Should().Be(b.IsDone);
            if (a.IsDone)
            {
                // The random generator's state travelled too: the next episode starts in the same place.
                (await original.ResetAsync()).Observation.Should().Equal((await restored.ResetAsync()).Observation);
            }
        }
    }

    [Fact]
    public async Task StepAsync_BadActions_ThrowWithParamName()
    {
        var environment = new CartPoleEnvironment(seed: 0);
        Func<Task> beforeReset = async () => await environment.StepAsync(new[] { 0 });
        await beforeReset.Should().ThrowAsync<InvalidOperationException>();
        await environment.ResetAsync();

        Func<Task> outOfRange = async () => await environment.StepAsync(new[] { 2 });
        Func<Task> twoActions = async () => await environment.StepAsync(new[] { 0, 1 });

        await outOfRange.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("actions");
        await twoActions.Should().ThrowAsync<ArgumentException>().WithParameterName("actions");
    }
}
