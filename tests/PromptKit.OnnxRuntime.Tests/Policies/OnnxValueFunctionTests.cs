using PromptKit.OnnxRuntime.Tests.Export;

namespace PromptKit.OnnxRuntime.Tests.Policies;

public sealed class OnnxValueFunctionTests
{
    private static readonly MlpPolicyWeights Critic = ReferenceNetworks.RandomMlp(new Random(11), 5, [12, 1], DenseActivation.Tanh);
    private static readonly OnnxPolicyOptions Cpu = new() { OutputName = "value", Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu } };

    [Fact]
    public void Estimate_MatchesReferenceForward()
    {
        using var critic = new OnnxValueFunction(OnnxPolicyExporter.ExportValueFunction(Critic), Cpu);
        float[] observation = [0.1f, -0.2f, 0.3f, 0.5f, -1f];

        float value = critic.Estimate(observation);

        critic.ObservationSize.Should().Be(5);
        value.Should().BeApproximately((float)ReferenceNetworks.Mlp(Critic, observation)[0], 1e-5f);
    }

    [Fact]
    public void Estimate_Batch_MatchesSingleCalls()
    {
        using var critic = new OnnxValueFunction(OnnxPolicyExporter.ExportValueFunction(Critic));
        var random = new Random(2);
        float[] observations = Enumerable.Range(0, 7 * 5).Select(_ => (float)random.NextDouble()).ToArray();
        float[] values = new float[7];

        critic.Estimate(observations, 7, values);

        for (int i = 0; i < 7; i++)
        {
            values[i].Should().BeApproximately(critic.Estimate(observations.AsSpan(i * 5, 5)), 1e-6f);
        }
    }

    [Fact]
    public void Constructor_ActorModel_ThrowsNotAValueFunction()
    {
        MlpPolicyWeights actor = ReferenceNetworks.RandomMlp(new Random(3), 5, [4], DenseActivation.None);

        Action act = () => _ = new OnnxValueFunction(OnnxPolicyExporter.Export(actor), new OnnxPolicyOptions { OutputName = "logits" });

        act.Should().Throw<ModelLoadException>().WithMessage("*not a value function*4 values*");
    }

    [Fact]
    public void Disposed_Throws()
    {
        var critic = new OnnxValueFunction(OnnxPolicyExporter.ExportValueFunction(Critic));
        critic.Dispose();

        critic.Invoking(c => c.Estimate(new float[5])).Should().Throw<ObjectDisposedException>();
    }
}
