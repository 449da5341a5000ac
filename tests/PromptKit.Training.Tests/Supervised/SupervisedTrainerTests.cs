using PromptKit.Samples;
using System.Collections.Immutable;

namespace PromptKit.Training.Tests;

public sealed class SupervisedTrainerTests
{
    [Fact]
    public void Train_FitsLabels()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        var bandit = new ContextualBandit(8, 4, 0);
        var examples = Enumerable.Range(0, 64).Select(i => new SupervisedExample(bandit.Observe(i % 8), bandit.BestAction(i % 8))).ToList();

        SupervisedTrainingResult result = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 60, MiniBatchSize = 16, LearningRate = 1e-2 }).Train(model, examples);

        result.Last.Accuracy.Should().Be(1.0);
        result.Last.Loss.Should().BeLessThan(result.History[0].Loss / 5);
        Greedy.OptimalRate(model, bandit, 8).Should().Be(1.0);
    }

    [Fact]
    public void Train_MultiAgentWithMasksAndMissingLabels_RespectsMasks()
    {
        using var model = ActorCriticModel.CreateMlp(2, [3, 2], [16], seed: 1);
        ImmutableArray<bool> mask = [false, true, true, true, true];
        var examples = new List<SupervisedExample>
        {
            new([1f, 0f], [2, SupervisedExample.NoLabel], mask),
            new([0f, 1f], [1, 0], mask),
        };

        // Agent 0's output layer is the only [3, 16] weight and the only 3-element bias of this model.
        (float[] Weight, float[] Bias) HeadOfAgentZero() =>
            (model.named_parameters().Single(p => p.parameter.shape.SequenceEqual([3L, 16L])).parameter.data<float>().ToArray(),
             model.named_parameters().Single(p => p.parameter.shape.SequenceEqual([3L])).parameter.data<float>().ToArray());
        (float[] weightBefore, float[] biasBefore) = HeadOfAgentZero();

        // Label smoothing spreads probability over the allowed actions only: the masked action 0 of agent 0 never
        // receives a gradient, so its output row and bias stay exactly as initialized while the others move.
        SupervisedTrainingResult result = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 150, LearningRate = 1e-2, LabelSmoothing = 0.1 }).Train(model, examples);
        (float[] weightAfter, float[] biasAfter) = HeadOfAgentZero();

        weightAfter[..16].Should().Equal(weightBefore[..16], "the masked action's row gets no gradient");
        biasAfter[0].Should().Be(biasBefore[0]);
        weightAfter[16..].Should().NotEqual(weightBefore[16..], "the allowed actions' rows are trained");
        biasAfter[1..].Should().NotEqual(biasBefore[1..]);
        result.Last.Accuracy.Should().Be(1.0);
        Span<float> logits = stackalloc float[3];
        model.GetPolicy(0).ComputeLogits([1f, 0f], logits);
        PolicyMath.ArgMax(logits).Should().Be(2);
    }

    [Fact]
    public void Train_EarlyStopping_RestoresTheBestEpoch()
    {
        using var model = ActorCriticModel.CreateMlp(8, [4], [32], seed: 1);
        var bandit = new ContextualBandit(8, 4, 0);
        var train = Enumerable.Range(0, 8).Select(c => new SupervisedExample(bandit.Observe(c), bandit.BestAction(c))).ToList();
        var validation = Enumerable.Range(0, 8).Select(c => new SupervisedExample(bandit.Observe(c), (bandit.BestAction(c) + 1) % 4)).ToList();
        var weightsAfterEpoch = new Dictionary<int, float[]>();
        var snapshot = new SynchronousProgress<SupervisedEpoch>(e => weightsAfterEpoch[e.Epoch] = CheckpointResumeTests.Weights(model));

        SupervisedTrainingResult result = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 100, LearningRate = 1e-2, EarlyStoppingPatience = 3 }).Train(model, train, validation, snapshot);

        result.StoppedEarly.Should().BeTrue();
        result.BestEpoch.Should().BeLessThan(result.History.Length);
        result.History[result.BestEpoch - 1].ValidationLoss.Should().Be(result.History.Min(h => h.ValidationLoss), "the best epoch has the lowest validation loss");
        float[] final = CheckpointResumeTests.Weights(model);
        final.Should().Equal(weightsAfterEpoch[result.BestEpoch], "the model holds the best epoch's weights");
        final.Should().NotEqual(weightsAfterEpoch[result.History.Length], "the later, worse epochs' weights were replaced");
    }

    [Fact]
    public void Train_LabelOutOfRange_ThrowsNamingTheExample()
    {
        using var model = ActorCriticModel.CreateMlp(2, [3], seed: 1);

        Action act = () => new SupervisedTrainer().Train(model, [new SupervisedExample([1f, 0f], 0), new SupervisedExample([1f, 0f], 5)]);

        act.Should().Throw<ArgumentException>().WithParameterName("examples").WithMessage("*Example 1*action 5*3 actions*");
    }

    [Fact]
    public void Train_WrongObservationSize_Throws()
    {
        using var model = ActorCriticModel.CreateMlp(2, [3], seed: 1);

        Action act = () => new SupervisedTrainer().Train(model, [new SupervisedExample([1f, 0f, 0f], 0)]);

        act.Should().Throw<ArgumentException>().WithMessage("*length 3*expects 2*");
    }

    [Fact]
    public void Train_Empty_Throws()
    {
        using var model = ActorCriticModel.CreateMlp(2, [3], seed: 1);

        Action act = () => new SupervisedTrainer().Train(model, []);

        act.Should().Throw<ArgumentException>().WithParameterName("examples");
    }

    [Fact]
    public void SupervisedExample_NaNObservation_Throws()
    {
        Action act = () => _ = new SupervisedExample([float.NaN], 0);

        act.Should().Throw<ArgumentException>().WithParameterName("observation");
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Action act = () => _ = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 0, LearningRate = 5 });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }
}
