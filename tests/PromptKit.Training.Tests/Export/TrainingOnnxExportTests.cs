using PromptKit.OnnxRuntime;
namespace PromptKit.Training.Tests;

public sealed class TrainingOnnxExportTests
{
    [Theory]
    [InlineData(MlpActivation.Tanh)]
    [InlineData(MlpActivation.Relu)]
    public void ExportActorToOnnx_OnnxPolicyMatchesTorchLogits(MlpActivation activation)
    {
        using var model = ActorCriticModel.CreateMlp(5, [4, 3], [16, 8], activation, seed: 7);
        var random = new TrainingRandom(3);

        for (int agent = 0; agent < 2; agent++)
        {
            using var onnx = new OnnxPolicy(model.ExportActorToOnnx(agent));
            IDiscretePolicy torch = model.GetPolicy(agent);
            for (int trial = 0; trial < 10; trial++)
            {
                float[] observation = Enumerable.Range(0, 5).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
                var expected = new float[torch.ActionCount];
                var actual = new float[onnx.ActionCount];
                torch.ComputeLogits(observation, expected);
                onnx.ComputeLogits(observation, actual);
                for (int i = 0; i < expected.Length; i++)
                {
                    actual[i].Should().BeApproximately(expected[i], 1e-5f);
                }
            }
        }
    }

    [Fact]
    public void ExportCriticToOnnx_OnnxValueMatchesTorch()
    {
        using var model = ActorCriticModel.CreateMlp(3, [2], [8], seed: 2);
        using var onnx = new OnnxValueFunction(model.ExportCriticToOnnx());

        onnx.Estimate([0.5f, -1f, 2f]).Should().BeApproximately(model.GetValueFunction().Estimate([0.5f, -1f, 2f]), 1e-5f);
    }

    [Fact]
    public void ExportToOnnx_WritesEveryNetwork()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"pk-onnx-{Guid.NewGuid():N}");
        try
        {
            using var model = ActorCriticModel.CreateMlp(3, [2, 2], seed: 2);

            IReadOnlyList<string> paths = model.ExportToOnnx(folder);

            paths.Select(Path.GetFileName).Should().Equal("actor-0.onnx", "actor-1.onnx", "critic.onnx");
            Directory.GetFiles(folder).Should().HaveCount(3);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ExportActorToOnnx_NonMlpActor_ThrowsNotSupported()
    {
        var actor = TorchSharp.torch.nn.Linear(3, 2);
        using var model = new ActorCriticModel(3, [actor], [2], new MlpNetwork(3, [], 1));

        Action act = () => model.ExportActorToOnnx(0);

        act.Should().Throw<NotSupportedException>().WithMessage("*MlpNetwork*");
    }
}
