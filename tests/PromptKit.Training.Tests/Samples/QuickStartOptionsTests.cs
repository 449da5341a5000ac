using PromptKit.Samples;

namespace PromptKit.Training.Tests;

public sealed class QuickStartOptionsTests
{
    [Fact]
    public void Parse_Defaults_SplitSeedFollowsSeed_ValidationUsersOn()
    {
        QuickStartOptions options = QuickStartOptions.Parse(["--seed", "7"]);

        options.Seed.Should().Be(7);
        options.SplitSeed.Should().Be(7);
        options.ValidationUsers.Should().Be(100);
        options.ValidateEvery.Should().Be(25);
        options.Iterations.Should().Be(150);
        options.ResampleNegatives.Should().BeTrue();
        QuickStartOptions.Parse(["--fixed-negatives"]).ResampleNegatives.Should().BeFalse();
    }

    [Fact]
    public void Parse_SplitSeedAndValidationFlags()
    {
        QuickStartOptions options = QuickStartOptions.Parse(["--seed", "1", "--split-seed", "42", "--validation-users", "0", "--validate-every", "10"]);

        options.SplitSeed.Should().Be(42);
        options.Seed.Should().Be(1);
        options.ValidationUsers.Should().Be(0);
        options.ValidateEvery.Should().Be(10);
    }

    [Theory]
    [InlineData("--validate-every", "0")]
    [InlineData("--validation-users", "-1")]
    [InlineData("--split-seed", "x")]
    public void Parse_BadValue_ThrowsNamingTheFlag(string flag, string value)
    {
        FluentActions.Invoking(() => QuickStartOptions.Parse([flag, value])).Should().Throw<ArgumentException>().WithMessage($"{flag}*");
    }

    [Theory]
    [InlineData("--iterations", "0")]
    [InlineData("--unknown-flag", "1")]
    [InlineData("--endpoint", "http://127.0.0.1:1/v1")]
    public void TryParse_BadFlag_ReturnsExitCodeTwoWithoutOptions(string flag, string value)
    {
        QuickStartOptions.TryParse([flag, value], out QuickStartOptions? options).Should().Be(2);
        options.Should().BeNull();
    }

    [Fact]
    public void Parse_OutAndEndpoint_FullPathAndModelRequired()
    {
        QuickStartOptions options = QuickStartOptions.Parse(["--out", "x/y", "--endpoint", "http://127.0.0.1:1/v1", "--model", "m"]);

        options.OutputDirectory.Should().Be(Path.GetFullPath("x/y"));
        options.UsesRealModel.Should().BeTrue();
        options.Model.Should().Be("m");
    }
}
