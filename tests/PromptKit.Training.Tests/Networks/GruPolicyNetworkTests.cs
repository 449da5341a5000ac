using System.Collections.Immutable;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using DenseIntTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<int>;
using TorchSharp;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training.Tests;

public sealed class GruPolicyNetworkTests
{
    [Fact]
    public void Encoder_IgnoresPaddingAndEncodesEmptySequencesAsZero()
    {
        using var encoder = new GruSequenceEncoder(featureSize: 3, hiddenSize: 5);
        using var scope = NewDisposeScope();
        Tensor sequences = rand(2, 4, 3);
        Tensor padded = sequences.clone();
        padded[0, 2] = ones(3) * 9f;   // past sequence 0's length of 2: must not matter
        padded[0, 3] = ones(3) * -9f;

        Tensor a = encoder.forward(sequences, tensor(new long[] { 2, 0 }));
        Tensor b = encoder.forward(padded, tensor(new long[] { 2, 0 }));

        a.allclose(b).Should().BeTrue();
        a[1].abs().sum().item<float>().Should().Be(0f);
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsWithParamName()
    {
        using var network = new GruPolicyNetwork(2, 3, 4, 8, [8], 2);
        using var scope = NewDisposeScope();

        Action act = () => network.forward(zeros(1, 5));

        act.Should().Throw<ArgumentException>().WithParameterName("input");
    }

    [Fact]
    public void PackObservation_TooManySteps_ThrowsWithParamName()
    {
        using var network = new GruPolicyNetwork(0, 2, 2, 4, [4], 2);

        Action act = () => network.PackObservation([], new float[6], new float[network.InputSize]);

        act.Should().Throw<ArgumentException>().WithParameterName("sequence");
    }

    [Fact]
    public async Task PpoTrainer_RecallTask_GruActorsRememberTheFirstStep()
    {
        using ActorCriticModel model = ActorCriticModel.CreateGru(staticSize: 0, sequenceLength: 4, featureSize: 3, actionCounts: [3], gruHiddenSize: 16, hiddenSizes: [16], seed: 2);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 32, Iterations = 40, Epochs = 4, MiniBatchSize = 32, ActorLearningRate = 5e-3, CriticLearningRate = 5e-3, Seed = 4 });

        await trainer.TrainAsync(model, slot => new RecallTask((GruPolicyNetwork)model.Critic, TrainingRandom.DeriveSeed(5, slot)));

        var probe = new RecallTask((GruPolicyNetwork)model.Critic, 123);
        IDiscretePolicy policy = model.GetPolicy(0);
        int hits = 0;
        var logits = new float[3];
        for (int i = 0; i < 100; i++)
        {
            (ImmutableArray<float> observation, int answer) = probe.Draw();
            policy.ComputeLogits(observation.AsSpan(), logits);
            hits += PolicyMath.ArgMax(logits) == answer ? 1 : 0;
        }

        hits.Should().BeGreaterThanOrEqualTo(95);
    }

    [Fact]
    public void ExportActorToOnnx_GruActor_OnnxRuntimeMatchesTorchLogits()
    {
        using ActorCriticModel model = ActorCriticModel.CreateGru(0, 4, 3, [5], gruHiddenSize: 6, hiddenSizes: [8], seed: 3);
        var actor = (GruPolicyNetwork)model.GetActor(0);
        using var session = new InferenceSession(model.ExportActorToOnnx(0));
        var random = new TrainingRandom(1);
        int[] lengths = [1, 3, 4];
        var sequence = new float[lengths.Length * 4 * 3];
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var observations = new float[lengths.Length * actor.InputSize];
        for (int b = 0; b < lengths.Length; b++)
        {
            actor.PackObservation([], sequence.AsSpan(b * 12, lengths[b] * 3), observations.AsSpan(b * actor.InputSize, actor.InputSize));
        }

        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            expected = actor.forward(tensor(observations, [lengths.Length, actor.InputSize])).data<float>().ToArray();
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("sequence", new DenseTensor(sequence, [lengths.Length, 4, 3])),
            NamedOnnxValue.CreateFromTensor("sequence_lengths", new DenseIntTensor(lengths, [lengths.Length])),
        ]);
        float[] actual = results.First(r => r.Name == "logits").AsEnumerable<float>().ToArray();

        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 1e-5f);
        }
    }

    [Fact]
    public void ExportToOnnx_GruWithStaticFeatures_OnnxPolicyMatchesTorchOnPackedObservations()
    {
        using ActorCriticModel model = ActorCriticModel.CreateGru(2, 3, 3, [4], gruHiddenSize: 5, hiddenSizes: [6], seed: 1);
        var actor = (GruPolicyNetwork)model.GetActor(0);
        var critic = (GruPolicyNetwork)model.Critic;
        var random = new TrainingRandom(7);
        int[] lengths = [0, 1, 2, 3, 2, 3, 0];
        var observations = new float[lengths.Length * actor.InputSize];
        for (int b = 0; b < lengths.Length; b++)
        {
            var features = new float[2 + (lengths[b] * 3)];
            for (int i = 0; i < features.Length; i++)
            {
                features[i] = (float)((random.NextDouble() * 2) - 1);
            }

            Span<float> row = observations.AsSpan(b * actor.InputSize, actor.InputSize);
            actor.PackObservation(features.AsSpan(0, 2), features.AsSpan(2), row);
            row[(2 + 1 + (lengths[b] * 3))..].Fill(5f); // padding past the valid steps must not matter
        }

        // Counts as the networks read them: rounded (half to even) and clamped to [0, steps].
        observations[(4 * actor.InputSize) + 2] = 2.6f; // rounds to 3: the step after the valid ones (padding) is read by both
        observations[(5 * actor.InputSize) + 2] = 7f;
        observations[(6 * actor.InputSize) + 2] = -2f;

        float[] expectedLogits, expectedValues;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            Tensor input = tensor(observations, [lengths.Length, actor.InputSize]);
            expectedLogits = actor.forward(input).data<float>().ToArray();
            expectedValues = critic.forward(input).data<float>().ToArray();
        }

        using var policy = new OnnxPolicy(model.ExportActorToOnnx(0), new OnnxPolicyOptions { Session = { ExecutionProvider = OnnxExecutionProvider.Cpu } });
        var logits = new float[lengths.Length * 4];
        policy.ComputeLogits(observations, lengths.Length, logits);
        using var session = new InferenceSession(model.ExportCriticToOnnx());
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(
            [NamedOnnxValue.CreateFromTensor("observation", new DenseTensor(observations, [lengths.Length, actor.InputSize]))]);
        float[] values = results.First(r => r.Name == "value").AsEnumerable<float>().ToArray();

        policy.ObservationSize.Should().Be(actor.InputSize);
        for (int i = 0; i < expectedLogits.Length; i++)
        {
            logits[i].Should().BeApproximately(expectedLogits[i], 1e-5f);
        }

        values.Should().HaveCount(expectedValues.Length);
        for (int i = 0; i < expectedValues.Length; i++)
        {
            values[i].Should().BeApproximately(expectedValues[i], 1e-5f);
        }
    }

    [Fact]
    public void Clone_GruModel_CopiesTheWeights()
    {
        using ActorCriticModel model = ActorCriticModel.CreateGru(1, 3, 2, [2, 3], gruHiddenSize: 4, hiddenSizes: [4], seed: 1);

        using ActorCriticModel copy = model.Clone();

        CheckpointResumeTests.Weights(copy).Should().Equal(CheckpointResumeTests.Weights(model));
    }

    /// <summary>One-step episodes: a sequence of 1–4 one-hot tokens (of 3); the reward is 1 for naming the first token.
    /// The answer is never the last token more often than chance, so the GRU must carry the first step through.</summary>
    private sealed class RecallTask(GruPolicyNetwork layout, long seed) : IEnvironment
    {
        private readonly TrainingRandom _random = new(seed);
        private int _answer = -1;

        public int ObservationSize => layout.InputSize;

        public IReadOnlyList<int> ActionCounts => [3];

        public (ImmutableArray<float> Observation, int Answer) Draw()
        {
            int length = 1 + _random.Next(4);
            var sequence = new float[length * 3];
            int first = _random.Next(3);
            sequence[first] = 1;
            for (int t = 1; t < length; t++)
            {
                sequence[(t * 3) + _random.Next(3)] = 1;
            }

            var observation = new float[layout.InputSize];
            layout.PackObservation([], sequence, observation);
            return ([.. observation], first);
        }

        public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
        {
            (ImmutableArray<float> observation, _answer) = Draw();
            return ValueTask.FromResult(new EnvironmentStep(observation));
        }

        public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new EnvironmentStep(new float[layout.InputSize].ToImmutableArray(), actions.Span[0] == _answer ? 1 : 0, isTerminal: true));
    }
}
