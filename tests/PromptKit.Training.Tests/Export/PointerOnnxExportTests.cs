using TorchSharp;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training.Tests;

public sealed class PointerOnnxExportTests
{
    [Theory]
    [InlineData(6, 4, 3, 5, 8)]
    [InlineData(5, 0, 1, 3, 4)]
    public void ExportActorToOnnx_PointerActor_OnnxPolicyMatchesTorchLogits(int d, int p, int f, int e, int h)
    {
        using ActorCriticModel model = ActorCriticModel.CreatePointer(d, p, f, e, h, criticHiddenSizes: [8], seed: 2);
        var actor = PointerPolicyNetworkTests.Randomized((PointerPolicyNetwork)model.GetActor(0), seed: 3);
        int[] validCounts = [e, 0, 1, e - 1, 2, 0];
        float[] observations = PointerObservations.Create(new TrainingRandom(4), d, p, f, e, validCounts);

        // Junk in one padding block beyond its zero validity flag: the stop logit still ignores it in both runtimes.
        int size = model.ObservationSize;
        Span<float> padding = observations.AsSpan((3 * size) + d + p + ((e - 1) * (d + f)), d + f);
        padding.Fill(0.75f);
        padding[d] = 0f;

        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            expected = actor.forward(tensor(observations, [validCounts.Length, size])).data<float>().ToArray();
        }

        using var policy = new OnnxPolicy(model.ExportActorToOnnx(0), new OnnxPolicyOptions { Session = { ExecutionProvider = OnnxExecutionProvider.Cpu } });
        policy.ObservationSize.Should().Be(size);
        policy.ActionCount.Should().Be(e + 1);

        var batch = new float[expected.Length];
        policy.ComputeLogits(observations, validCounts.Length, batch);
        var single = new float[e + 1];
        for (int row = 0; row < validCounts.Length; row++)
        {
            policy.ComputeLogits(observations.AsSpan(row * size, size), single);
            for (int a = 0; a <= e; a++)
            {
                single[a].Should().BeApproximately(expected[(row * (e + 1)) + a], 1e-5f, $"row {row}, action {a} (batch 1)");
                batch[(row * (e + 1)) + a].Should().BeApproximately(expected[(row * (e + 1)) + a], 1e-5f, $"row {row}, action {a} (batch {validCounts.Length})");
            }
        }

        expected.Select(Math.Abs).Max().Should().BeGreaterThan(0.5f, "randomized weights give logits large enough for a 1e-5 comparison to mean something");
    }

    [Fact]
    public void ExportToOnnx_PointerModel_WritesActorAndMlpCritic()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"pk-pointer-{Guid.NewGuid():N}");
        try
        {
            using ActorCriticModel model = ActorCriticModel.CreatePointer(4, 2, 2, 3, 8, criticHiddenSizes: [8], seed: 1);
            float[] observation = PointerObservations.Create(new TrainingRandom(1), 4, 2, 2, 3, [2]);

            IReadOnlyList<string> paths = model.ExportToOnnx(folder);

            paths.Select(Path.GetFileName).Should().Equal("actor-0.onnx", "critic.onnx");
            using var critic = new OnnxValueFunction(paths[1]);
            critic.Estimate(observation).Should().BeApproximately(model.GetValueFunction().Estimate(observation), 1e-5f);
            using var actor = new OnnxPolicy(paths[0]);
            actor.ActionCount.Should().Be(4);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ToPolicyWeights_PointerNetwork_CopiesEveryLayerWithAZeroQueryBias()
    {
        using var network = PointerPolicyNetworkTests.Randomized(new PointerPolicyNetwork(4, 2, 3, 5, 6), seed: 1);

        PointerPolicyWeights weights = network.ToPolicyWeights();

        weights.ObservationSize.Should().Be(network.InputSize);
        weights.ActionCount.Should().Be(6);
        weights.HiddenSize.Should().Be(6);
        weights.ElementProjection.Weights.Should().Equal(network.ElementProjection.weight!.data<float>().ToArray());
        weights.ElementProjection.Bias.Should().Equal(network.ElementProjection.bias!.data<float>().ToArray());
        weights.QueryProjection.Weights.Should().Equal(network.QueryProjection.weight!.data<float>().ToArray());
        weights.QueryProjection.Bias.Should().OnlyContain(b => b == 0f).And.HaveCount(6);
        weights.Score.Weights.Should().Equal(network.Score.weight!.data<float>().ToArray());
        weights.StopHead.Layers.Select(l => l.Activation).Should().Equal(DenseActivation.Tanh, DenseActivation.None);
    }
}
