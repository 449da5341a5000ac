using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using PromptKit.Training;

namespace PromptKit.Benchmarks;

/// <summary>
/// One PPO update (<c>PpoUpdate.Update</c>, the trainer's inner loop) over a synthetic rollout of 2048 transitions
/// (8 environments × 256 steps, CartPole-sized: 4 observations, 2 actions): 10 epochs of 64-transition minibatches,
/// i.e. 320 gradient steps of the 4-64-64 tanh actor and critic, with clipping, entropy, value loss and gradient-norm
/// clipping. One TorchSharp thread, as the CartPole sample runs.
/// </summary>
[MemoryDiagnoser]
public class PpoUpdateBenchmark : IDisposable
{
    private const int Environments = 8;
    private const int Steps = 256;
    private const int ObservationSize = 4;

    private ActorCriticModel? _model;
    private RolloutBuffer? _buffer;
    private Adam? _actorOptimizer;
    private Adam? _criticOptimizer;
    private PpoUpdate? _update;
    private TrainingRandom _random = new(0);

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        _model = ActorCriticModel.CreateMlp(ObservationSize, [2], [64, 64], MlpActivation.Tanh, seed: 1);
        _buffer = new RolloutBuffer(Steps, Environments, ObservationSize, [2], masked: false);
        var random = new TrainingRandom(42);
        for (int i = 0; i < _buffer.Observations.Length; i++)
        {
            _buffer.Observations[i] = (float)((random.NextDouble() * 0.2) - 0.1);
        }

        for (int i = 0; i < _buffer.Size; i++)
        {
            _buffer.Actions[i] = random.Next(2);
            _buffer.LogProbabilities[i] = MathF.Log(0.5f);
            _buffer.Values[i] = (float)random.NextDouble();
            _buffer.Rewards[i] = 1;
            _buffer.Weights[i] = 1;
            _buffer.Advantages[i] = (float)((random.NextDouble() * 2) - 1);
            _buffer.Returns[i] = _buffer.Values[i] + _buffer.Advantages[i];
        }

        _actorOptimizer = torch.optim.Adam(_model.GetActor(0).parameters(), 2.5e-4, eps: 1e-5);
        _criticOptimizer = torch.optim.Adam(_model.Critic.parameters(), 2.5e-4, eps: 1e-5);
        var options = new PpoTrainerOptions { EnvironmentCount = Environments, StepsPerEnvironment = Steps, Epochs = 10, MiniBatchSize = 64 };
        _update = new PpoUpdate(options, NullLogger.Instance);
        _random = new TrainingRandom(7);
    }

    [Benchmark(Description = "PPO update: 2048 transitions, 10 epochs, minibatch 64")]
    public double Update()
    {
        using var tensors = new RolloutTensors(_buffer!);
        var context = new OnPolicyUpdateContext(_model!, null, _buffer!, tensors, _actorOptimizer!, _criticOptimizer!, _random);
        return _update!.Update(context, CancellationToken.None).PolicyLoss;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _actorOptimizer?.Dispose();
        _criticOptimizer?.Dispose();
        _model?.Dispose();
        GC.SuppressFinalize(this);
    }
}
