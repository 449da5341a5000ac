using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Metrics;

public sealed class BleuMetricConstructionTests
{
    [Fact]
    public void Constructor_SameOptionsAgain_SameSignatureAndScores()
    {
        var options = new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothValue = 0.25, EffectiveOrder = true, Lowercase = true };
        var first = new BleuMetric(options);
        var second = new BleuMetric(options);
        var third = new BleuMetric(new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothValue = 0.25, EffectiveOrder = true, Lowercase = true });

        second.Signature.Should().Be(first.Signature).And.Be("nrefs:1|case:lc|eff:yes|tok:13a|smooth:floor[0.25]|version:2.6.0");
        third.Signature.Should().Be(first.Signature);
        third.ScoreValue("The cat sat on the mat.", ["the cat is on the mat ."])
            .Should().Be(first.ScoreValue("The cat sat on the mat.", ["the cat is on the mat ."]));
    }

    [Fact]
    public void Constructor_InvalidOptionsAfterValidOnes_StillThrows()
    {
        var options = new BleuOptions { MaxNgramOrder = 3 };
        _ = new BleuMetric(options);
        options.MaxNgramOrder = 0;

        FluentActions.Invoking(() => new BleuMetric(options)).Should().Throw<OptionsValidationException>();
        FluentActions.Invoking(() => new BleuMetric(options)).Should().Throw<OptionsValidationException>("invalid options are never remembered");
    }
}
