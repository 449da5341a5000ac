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

    // Pinned values: checkpoints and every seeded run depend on DeriveSeed, so a change to it must fail here. Computed
    // by an independent implementation of its formula (Python: x = seed ^ (0x9E3779B97F4A7C15 * (index + 1)) mod 2^64,
    // then one SplitMix64 step), not by this code.
    [Theory]
    [InlineData(7, 0, -1407484600305285887)]
    [InlineData(7, 1, -7139356981108613887)]
    [InlineData(7, 3, -5431262886246717010)]
    [InlineData(0, 0, 7960286522194355700)]
    [InlineData(-1, 5, 5549181937935055082)]
    [InlineData(42, 1000, -3700600306535393243)]
    public void DeriveSeed_IsPinnedToFixedValues(long seed, long index, long expected)
    {
        TrainingRandom.DeriveSeed(seed, index).Should().Be(expected);
    }
}
