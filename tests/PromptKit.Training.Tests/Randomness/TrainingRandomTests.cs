namespace PromptKit.Training.Tests;

public sealed class TrainingRandomTests
{
    [Fact]
    public void SetState_RestoresTheSequence()
    {
        var random = new TrainingRandom(42);
        _ = random.NextDouble();
        var state = new byte[TrainingRandom.StateSize];
        random.GetState(state);
        double[] expected = [random.NextDouble(), random.Next(10), random.NextInt64(1000)];

        var restored = new TrainingRandom(state);

        double[] actual = [restored.NextDouble(), restored.Next(10), restored.NextInt64(1000)];
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Next_IsUniformAndInRange()
    {
        var random = new TrainingRandom(1);
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++)
        {
            counts[random.Next(6)]++;
        }

        counts.Should().OnlyContain(c => c > 9_500 && c < 10_500);
        random.Next(-3, 3).Should().BeInRange(-3, 2);
        random.NextDouble().Should().BeInRange(0, 1);
    }

    [Fact]
    public void SetState_AllZero_Throws()
    {
        Action act = () => _ = new TrainingRandom(new byte[TrainingRandom.StateSize]);

        act.Should().Throw<ArgumentException>().WithParameterName("state");
    }

    [Fact]
    public void DeriveSeed_DiffersPerIndexAndIsStable()
    {
        TrainingRandom.DeriveSeed(7, 0).Should().NotBe(TrainingRandom.DeriveSeed(7, 1));
        TrainingRandom.DeriveSeed(7, 3).Should().Be(TrainingRandom.DeriveSeed(7, 3));
    }
}
