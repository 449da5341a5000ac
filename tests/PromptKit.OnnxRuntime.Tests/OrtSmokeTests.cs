using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime.Tests;

public sealed class OrtSmokeTests
{
    [Fact]
    public void AvailableProviders_IncludeCpu() =>
        OrtEnv.Instance().GetAvailableProviders().Should().Contain("CPUExecutionProvider");
}
