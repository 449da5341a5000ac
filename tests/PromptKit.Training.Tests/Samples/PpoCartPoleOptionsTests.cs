using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class PpoCartPoleOptionsTests
{
    [Fact]
    public void Parse_NoFlags_Defaults()
    {
        PpoCartPoleOptions options = PpoCartPoleOptions.Parse([]);

        options.Iterations.Should().Be(PpoCartPoleOptions.DefaultIterations);
        options.Seed.Should().Be(1);
        options.OutputFolder.Should().Be(Path.Combine("artifacts", "ppo-cartpole"));
    }

    [Fact]
    public void Parse_Flags_AreRead()
    {
        PpoCartPoleOptions options = PpoCartPoleOptions.Parse(["--iterations", "12", "--seed", "-3", "--out", "runs/a"]);

        options.Iterations.Should().Be(12);
        options.Seed.Should().Be(-3);
        options.OutputFolder.Should().Be("runs/a");
    }

    [Theory]
    [InlineData("--iterations", "0", "--iterations*")]
    [InlineData("--iterations", "many", "--iterations*")]
    [InlineData("--seed", "x", "*--seed*")]
    [InlineData("--bogus", "1", "*--bogus*")]
    public void Parse_BadFlag_ThrowsNamingIt(string flag, string value, string message)
    {
        FluentActions.Invoking(() => PpoCartPoleOptions.Parse([flag, value])).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Theory]
    [InlineData(new[] { "--iterations", "0" }, 2)]
    [InlineData(new[] { "--unknown" }, 2)]
    public void TryParse_BadFlag_ReturnsExitCodeTwo(string[] args, int expected)
    {
        PpoCartPoleOptions.TryParse(args, out PpoCartPoleOptions? options).Should().Be(expected);
        options.Should().BeNull();
    }

    [Fact]
    public void TryParse_GoodFlags_ReturnsNullAndTheOptions()
    {
        PpoCartPoleOptions.TryParse(["--iterations", "5"], out PpoCartPoleOptions? options).Should().BeNull();
        options!.Iterations.Should().Be(5);
    }

    [Fact]
    public void TryParse_Version_ExitsZeroWithoutRunning()
    {
        PpoCartPoleOptions.TryParse(["--version"], out PpoCartPoleOptions? options).Should().Be(0);
        options.Should().BeNull();
    }
}
