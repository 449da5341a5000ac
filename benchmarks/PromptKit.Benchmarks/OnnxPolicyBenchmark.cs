using BenchmarkDotNet.Attributes;
using PromptKit.OnnxRuntime;

namespace PromptKit.Benchmarks;

/// <summary>
/// Latency of serving an exported MLP actor (obs 32 → 64 → 64 → 10, tanh) through <see cref="OnnxPolicy"/>
/// (pinned buffers + IO binding) versus a plain <c>InferenceSession.Run</c> with new inputs each call.
/// </summary>
[MemoryDiagnoser]
public class OnnxPolicyBenchmark : IDisposable
{
    private const int ObservationSize = 32;
    private const int Actions = 10;

    private OnnxPolicy? _policy;
    private OnnxSession? _session;
    private float[] _observations = [];
    private float[] _logits = [];

    [Params(1, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var builder = new MlpPolicyWeightsBuilder(ObservationSize);
        foreach ((int size, DenseActivation activation) in new[] { (64, DenseActivation.Tanh), (64, DenseActivation.Tanh), (Actions, DenseActivation.None) })
        {
            int inputs = builder.CurrentSize;
            builder.AddLayer(size, Random(random, size * inputs), Random(random, size), activation);
        }

        byte[] model = OnnxPolicyExporter.Export(builder.Build());
        var options = new OnnxPolicyOptions { Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 } };
        _policy = new OnnxPolicy(model, options);
        _session = OnnxSessionFactory.Create(model, options.Session);
        _observations = Random(random, BatchSize * ObservationSize);
        _logits = new float[BatchSize * Actions];
    }

    [Benchmark(Baseline = true, Description = "OnnxPolicy (IO binding)")]
    public float IoBinding()
    {
        _policy!.ComputeLogits(_observations, BatchSize, _logits);
        return _logits[0];
    }

    [Benchmark(Description = "InferenceSession.Run")]
    public float PlainRun()
    {
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(_observations, [BatchSize, ObservationSize]);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using Microsoft.ML.OnnxRuntime.IDisposableReadOnlyCollection<Microsoft.ML.OnnxRuntime.OrtValue> outputs =
            _session!.Session.Run(runOptions, ["observation"], [input], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _policy?.Dispose();
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static float[] Random(Random random, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * 0.3f;
        }

        return values;
    }
}
