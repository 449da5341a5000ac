namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class OnnxExportOptionsTests
{
    [Fact]
    public void Defaults_MatchWhatOnnxPolicyExpects()
    {
        var export = new OnnxExportOptions();
        var serve = new OnnxPolicyOptions();

        export.ObservationInputName.Should().Be(serve.InputName).And.Be("observation");
        export.LogitsOutputName.Should().Be(serve.OutputName).And.Be("logits");
        export.ProbabilitiesOutputName.Should().Be("probabilities");
        export.ValueOutputName.Should().Be("value");
        export.SequenceInputName.Should().Be("sequence");
        export.SequenceLengthsInputName.Should().Be("sequence_lengths");
        export.IncludeSequenceLengths.Should().BeFalse();
        export.GraphName.Should().Be("promptkit_policy");
        export.ModelVersion.Should().Be(1);
        export.Description.Should().BeNull();
        export.Metadata.Should().BeEmpty();
    }
}
