namespace PromptKit.OnnxRuntime.Tests.Policies;

public sealed class OnnxPolicyOptionsTests
{
    [Fact]
    public void Defaults_AreExporterNamesAndAutomaticProvider()
    {
        var options = new OnnxPolicyOptions();

        options.InputName.Should().Be("observation");
        options.OutputName.Should().Be("logits");
        options.Session.Should().NotBeNull();
        options.Session.ExecutionProvider.Should().Be(OnnxExecutionProvider.Auto);
    }
}
