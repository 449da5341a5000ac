using BenchmarkDotNet.Attributes;
using TorchSharp;
using PromptKit.OnnxRuntime;
using PromptKit.Training;

namespace PromptKit.Benchmarks;

/// <summary>
/// Latency of one rewriter decision: the logits of a <see cref="PointerPolicyNetwork"/> (context D = 64, progress P = 4,
/// element features F = 8, E = 24 element slots of which 17 are valid, attention width H = 64; observation 1,796 values,
/// 25 actions) for one observation, through TorchSharp (<see cref="ActorCriticModel.GetPolicy"/>: a new input tensor
/// and dispose scope per call) and through the exported ONNX graph served by <see cref="OnnxPolicy"/> (IO binding).
/// One thread for each runtime.
/// </summary>
[MemoryDiagnoser]
public class RewriteDecisionBenchmark : IDisposable
{
    private const int ContextSize = 64;
    private const int ProgressSize = 4;
    private const int ElementFeatureSize = 8;
    private const int MaxElements = 24;
    private const int HiddenSize = 64;
    private const int ValidElements = 17;

    private ActorCriticModel? _model;
    private IDiscretePolicy? _torch;
    private OnnxPolicy? _onnx;
    private float[] _observation = [];
    private float[] _logits = [];

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        _model = ActorCriticModel.CreatePointer(ContextSize, ProgressSize, ElementFeatureSize, MaxElements, HiddenSize, seed: 1);
        _torch = _model.GetPolicy(0);
        var options = new OnnxPolicyOptions { Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 } };
        _onnx = new OnnxPolicy(_model.ExportActorToOnnx(0), options);

        var random = new Random(42);
        _observation = new float[_model.ObservationSize];
        for (int i = 0; i < ContextSize + ProgressSize; i++)
        {
            _observation[i] = (float)((random.NextDouble() * 2) - 1);
        }

        int block = ContextSize + ElementFeatureSize;
        for (int element = 0; element < ValidElements; element++)
        {
            Span<float> values = _observation.AsSpan(ContextSize + ProgressSize + (element * block), block);
            for (int i = 0; i < block; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }

            values[ContextSize] = 1f; // validity flag; padding blocks stay zero
        }

        _logits = new float[_model.ActionCounts[0]];
    }

    [Benchmark(Baseline = true, Description = "TorchSharp GetPolicy(0).ComputeLogits, 1 observation")]
    public float TorchSharp()
    {
        _torch!.ComputeLogits(_observation, _logits);
        return _logits[0];
    }

    [Benchmark(Description = "OnnxPolicy.ComputeLogits, 1 observation")]
    public float Onnx()
    {
        _onnx!.ComputeLogits(_observation, _logits);
        return _logits[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _onnx?.Dispose();
        _model?.Dispose();
        GC.SuppressFinalize(this);
    }
}
