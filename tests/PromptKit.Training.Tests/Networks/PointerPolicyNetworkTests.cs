using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training.Tests;

public sealed class PointerPolicyNetworkTests
{
    private const int D = 6, P = 4, F = 3, E = 5, H = 16;

    [Fact]
    public void Forward_Batch_ReturnsOneScorePerElementAndTheStopLogit()
    {
        using var network = new PointerPolicyNetwork(D, P, F, E, H);
        float[] observations = PointerObservations.Create(new TrainingRandom(1), D, P, F, E, [3, 0, 5]);
        using var scope = NewDisposeScope();

        Tensor output = network.forward(tensor(observations, [3, network.InputSize]));

        network.InputSize.Should().Be(D + P + (E * (D + F)));
        network.OutputSize.Should().Be(E + 1);
        network.StopAction.Should().Be(E);
        output.shape.Should().Equal(3, E + 1);
    }

    [Fact]
    public void Forward_InvalidElementContents_DoNotReachTheStopLogitOrTheOtherScores()
    {
        using var network = Randomized(new PointerPolicyNetwork(D, P, F, E, H), seed: 3);
        float[] observation = PointerObservations.Create(new TrainingRandom(2), D, P, F, E, [3]);
        float[] junk = (float[])observation.Clone();
        Span<float> padding = PointerObservations.Block(junk, D, P, F, 4); // element 4 is padding: flag stays 0
        for (int i = 0; i < padding.Length; i++)
        {
            padding[i] = i == D ? 0f : 3f - i;
        }

        float[] changedValid = (float[])observation.Clone();
        PointerObservations.Block(changedValid, D, P, F, 1)[0] += 1f;

        float[] a = Logits(network, observation), b = Logits(network, junk), c = Logits(network, changedValid);

        b[E].Should().BeApproximately(a[E], 1e-6f, "the stop logit pools valid elements only");
        for (int i = 0; i < 4; i++)
        {
            b[i].Should().BeApproximately(a[i], 1e-6f);
        }

        b[4].Should().NotBe(a[4], "the padding element's own score reads its block (the action mask hides it)");
        c[E].Should().NotBe(a[E], "a valid element's encoding does reach the stop logit");
    }

    [Fact]
    public void Forward_PermutedElements_PermutesTheScoresAndKeepsTheStopLogit()
    {
        using var network = Randomized(new PointerPolicyNetwork(D, P, F, E, H), seed: 4);
        float[] observation = PointerObservations.Create(new TrainingRandom(5), D, P, F, E, [4]);
        int[] permutation = [3, 0, 4, 1, 2]; // slot j of the permuted observation holds element permutation[j]
        float[] permuted = (float[])observation.Clone();
        for (int j = 0; j < E; j++)
        {
            PointerObservations.Block(observation, D, P, F, permutation[j]).CopyTo(PointerObservations.Block(permuted, D, P, F, j));
        }

        float[] original = Logits(network, observation), shuffled = Logits(network, permuted);

        for (int j = 0; j < E; j++)
        {
            shuffled[j].Should().BeApproximately(original[permutation[j]], 1e-5f);
        }

        shuffled[E].Should().BeApproximately(original[E], 1e-5f);
        original.Distinct().Should().HaveCount(E + 1, "distinct scores make the permutation check meaningful");
    }

    [Fact]
    public void Constructor_SmallOutputGain_FirstPolicyIsNearUniform()
    {
        torch.manual_seed(1);
        using var network = new PointerPolicyNetwork(D, P, F, E, H);
        float[] observations = PointerObservations.Create(new TrainingRandom(6), D, P, F, E, [0, 2, 5]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        Tensor logits = network.forward(tensor(observations, [3, network.InputSize]));

        logits.abs().max().item<float>().Should().BeLessThan(0.1f);
        network.named_parameters().Select(p => p.name).Should().Equal(
            "key.weight", "key.bias", "query.weight", "score.weight", "score.bias", "stop.layers.0.weight", "stop.layers.0.bias", "stop.layers.2.weight", "stop.layers.2.bias");
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsWithParamName()
    {
        using var network = new PointerPolicyNetwork(D, P, F, E, H);
        using var scope = NewDisposeScope();

        Action act = () => network.forward(zeros(2, network.InputSize - 1));

        act.Should().Throw<ArgumentException>().WithParameterName("input").WithMessage($"*[batch, {network.InputSize}]*");
    }

    [Theory]
    [InlineData(0, 4, 8, 24, 64, "contextSize")]
    [InlineData(64, -1, 8, 24, 64, "progressSize")]
    [InlineData(64, 4, 0, 24, 64, "elementFeatureSize")]
    [InlineData(64, 4, 8, 0, 64, "maxElements")]
    [InlineData(64, 4, 8, int.MaxValue / 2, 64, "maxElements")]
    [InlineData(64, 4, 8, 24, 0, "hiddenSize")]
    public void CreatePointer_BadSize_ThrowsNamingTheArgument(int contextSize, int progressSize, int elementFeatureSize, int maxElements, int hiddenSize, string parameter)
    {
        Action create = () => ActorCriticModel.CreatePointer(contextSize, progressSize, elementFeatureSize, maxElements, hiddenSize).Dispose();
        Action construct = () => new PointerPolicyNetwork(contextSize, progressSize, elementFeatureSize, maxElements, hiddenSize).Dispose();

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
        construct.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void CreatePointer_BadCriticWidth_ThrowsNamingTheArgument()
    {
        Action act = () => ActorCriticModel.CreatePointer(D, P, F, E, H, criticHiddenSizes: [8, 0]).Dispose();

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("criticHiddenSizes").WithMessage("*layer 1*");
    }

    [Fact]
    public void CreatePointer_Clone_GivesIdenticalOutputs()
    {
        using ActorCriticModel model = ActorCriticModel.CreatePointer(D, P, F, E, H, criticHiddenSizes: [8], seed: 9);
        Randomized((PointerPolicyNetwork)model.GetActor(0), seed: 10); // weights no seed reproduces: only a copy can match

        using ActorCriticModel copy = model.Clone();

        copy.GetActor(0).Should().BeOfType<PointerPolicyNetwork>();
        copy.ObservationSize.Should().Be(model.ObservationSize).And.Be(D + P + (E * (D + F)));
        copy.ActionCounts.Should().Equal(E + 1);
        float[] observations = PointerObservations.Create(new TrainingRandom(11), D, P, F, E, [2, 5, 0]);
        var expected = new float[E + 1];
        var actual = new float[E + 1];
        for (int row = 0; row < 3; row++)
        {
            ReadOnlySpan<float> observation = observations.AsSpan(row * model.ObservationSize, model.ObservationSize);
            model.GetPolicy(0).ComputeLogits(observation, expected);
            copy.GetPolicy(0).ComputeLogits(observation, actual);
            actual.Should().Equal(expected);
            copy.GetValueFunction().Estimate(observation).Should().Be(model.GetValueFunction().Estimate(observation));
        }

        expected.Select(Math.Abs).Max().Should().BeGreaterThan(0.1f, "the perturbed weights are far from the seed's");
    }

    [Fact]
    public void SupervisedTrainer_PointAtTheElementMostSimilarToTheContext_Learns()
    {
        const int d = 8, p = 4, f = 2, e = 6;
        using ActorCriticModel model = ActorCriticModel.CreatePointer(d, p, f, e, hiddenSize: 32, criticHiddenSizes: [16], seed: 1);
        var random = new TrainingRandom(7);
        List<SupervisedExample> training = Examples(192), validation = Examples(64);

        SupervisedTrainingResult result = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 20, MiniBatchSize = 32, LearningRate = 1e-2, Seed = 3 }).Train(model, training, validation);

        result.Last.Loss.Should().BeLessThan(result.History[0].Loss / 2);
        result.Last.Accuracy.Should().BeGreaterThanOrEqualTo(0.9);
        result.Last.ValidationAccuracy.Should().BeGreaterThanOrEqualTo(0.9, "the rule, not the examples, was learned");

        // One example in eight has no valid element (only stop is allowed); the rest have 1 to e, masked to the valid ones.
        List<SupervisedExample> Examples(int count)
        {
            var examples = new List<SupervisedExample>(count);
            for (int n = 0; n < count; n++)
            {
                int valid = n % 8 == 0 ? 0 : 1 + random.Next(e);
                float[] observation = PointerObservations.Create(random, d, p, f, e, [valid]);
                ImmutableArray<bool> mask = [.. Enumerable.Range(0, e + 1).Select(a => a == e || a < valid)];
                examples.Add(new SupervisedExample([.. observation], [MostSimilar(observation, d, p, f, valid) ?? e], mask));
            }

            return examples;
        }
    }

    /// <summary>The valid element whose encoding has the largest dot product with the context, or null when none is valid.</summary>
    private static int? MostSimilar(float[] observation, int d, int p, int f, int valid)
    {
        int? best = null;
        double bestSimilarity = double.NegativeInfinity;
        for (int i = 0; i < valid; i++)
        {
            Span<float> block = PointerObservations.Block(observation, d, p, f, i);
            double similarity = 0;
            for (int j = 0; j < d; j++)
            {
                similarity += block[j] * observation[j];
            }

            if (similarity > bestSimilarity)
            {
                (best, bestSimilarity) = (i, similarity);
            }
        }

        return best;
    }

    private static float[] Logits(PointerPolicyNetwork network, float[] observation)
    {
        var logits = new float[network.OutputSize];
        new TorchDiscretePolicy(network, network.InputSize, network.OutputSize).ComputeLogits(observation, logits);
        return logits;
    }

    /// <summary>Replaces every parameter with seeded N(0, 0.5²) values, so outputs are far from the near-uniform start.</summary>
    internal static T Randomized<T>(T network, long seed)
        where T : nn.Module
    {
        lock (MlpNetwork.InitializationLock)
        {
            using var noGrad = no_grad();
            torch.manual_seed(seed);
            foreach (var (_, parameter) in network.named_parameters())
            {
                parameter.copy_(randn_like(parameter) * 0.5);
            }
        }

        return network;
    }
}

/// <summary>Writes pointer observations, [ c (D) | p (P) | e_0 (D) | g_0 (F) | ... ], for tests.</summary>
internal static class PointerObservations
{
    /// <summary>One observation per entry of <paramref name="validCounts"/>, row by row: uniform context, progress and
    /// features in [-1, 1], unit-length context and encodings, the first <c>validCounts[row]</c> elements valid (flag 1)
    /// and the rest zero padding.</summary>
    public static float[] Create(Random random, int d, int p, int f, int e, int[] validCounts)
    {
        int size = d + p + (e * (d + f));
        var observations = new float[validCounts.Length * size];
        for (int row = 0; row < validCounts.Length; row++)
        {
            float[] observation = new float[size];
            FillUnit(random, observation.AsSpan(0, d));
            Fill(random, observation.AsSpan(d, p));
            for (int i = 0; i < validCounts[row]; i++)
            {
                Span<float> block = Block(observation, d, p, f, i);
                FillUnit(random, block[..d]);
                block[d] = 1f;
                Fill(random, block[(d + 1)..]);
            }

            observation.CopyTo(observations, row * size);
        }

        return observations;
    }

    /// <summary>Element <paramref name="index"/>'s block [e_i | g_i] of one observation.</summary>
    public static Span<float> Block(float[] observation, int d, int p, int f, int index) =>
        observation.AsSpan(d + p + (index * (d + f)), d + f);

    private static void Fill(Random random, Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }

    private static void FillUnit(Random random, Span<float> values)
    {
        Fill(random, values);
        double norm = 0;
        foreach (float value in values)
        {
            norm += value * value;
        }

        float scale = (float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }
}
