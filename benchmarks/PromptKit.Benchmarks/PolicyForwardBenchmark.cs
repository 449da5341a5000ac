using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using PromptKit.Training;

namespace PromptKit.Benchmarks;

/// <summary>
/// Inference latency of a CartPole-sized TorchSharp actor (4 → 64 → 64 → 2, tanh): <see cref="TorchDiscretePolicy.ComputeLogits"/>
/// for one observation (a new input tensor and dispose scope per call), and one batched forward of 256 observations
/// from a reused input tensor, logits copied out. One TorchSharp thread, as the CartPole sample runs.
/// </summary>
[MemoryDiagnoser]
public class PolicyForwardBenchmark : IDisposable
{
    private const int ObservationSize = 4;
    private const int Actions = 2;
    private const int Batch = 256;

    private MlpNetwork? _actor;
    private TorchDiscretePolicy? _policy;
    private Tensor? _batch;
    private float[] _observation = [];
    private float[] _logits = [];
    private float[] _batchLogits = [];

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        torch.manual_seed(1);
        _actor = new MlpNetwork(ObservationSize, [64, 64], Actions, MlpActivation.Tanh, outputGain: 0.01);
        _policy = new TorchDiscretePolicy(_actor);
        var random = new Random(42);
        float[] observations = new float[Batch * ObservationSize];
        for (int i = 0; i < observations.Length; i++)
        {
            observations[i] = (float)((random.NextDouble() * 0.2) - 0.1);
        }

        _observation = observations[..ObservationSize];
        _batch = tensor(observations, [Batch, ObservationSize]);
        _logits = new float[Actions];
        _batchLogits = new float[Batch * Actions];
    }

    [Benchmark(Baseline = true, Description = "TorchDiscretePolicy.ComputeLogits, 1 observation")]
    public float ComputeLogits()
    {
        _policy!.ComputeLogits(_observation, _logits);
        return _logits[0];
    }

    [Benchmark(Description = "Actor forward, batch of 256")]
    public float BatchedForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _actor!.forward(_batch!).data<float>().CopyTo(_batchLogits);
        return _batchLogits[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _batch?.Dispose();
        _actor?.Dispose();
        GC.SuppressFinalize(this);
    }
}
