using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training.Tests.Policies;

public sealed class TorchDiscretePolicyTests
{
    [Fact]
    public void ComputeLogits_MlpActor_EqualsManualForward()
    {
        torch.random.manual_seed(3);
        using var actor = new MlpNetwork(4, [16, 16], 3, outputGain: 1.0);
        var policy = new TorchDiscretePolicy(actor);
        float[] observation = [0.5f, -1.25f, 2f, 0.125f];
        var logits = new float[3];

        policy.ComputeLogits(observation, logits);

        using var input = torch.tensor(observation).unsqueeze(0);
        using var noGrad = torch.no_grad();
        using var expected = actor.forward(input);
        logits.Should().Equal(expected.data<float>().ToArray());
        logits.Should().NotContain(0f);
    }

    [Fact]
    public void ComputeLogits_ManyCalls_LeavesNoTensorsAlive()
    {
        using var actor = new MlpNetwork(2, [8], 2);
        var policy = new TorchDiscretePolicy(actor);
        var logits = new float[2];
        policy.ComputeLogits([1f, 2f], logits);
        using var scope = torch.NewDisposeScope();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 20; i++)
        {
            policy.ComputeLogits([i, -i], logits);
        }

        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(before);
    }

    [Fact]
    public void Constructor_GenericActor_TakesSizesFromArguments()
    {
        using var actor = new MlpNetwork(5, [4], 7);

        var policy = new TorchDiscretePolicy(actor, 5, 7);

        policy.ObservationSize.Should().Be(5);
        policy.ActionCount.Should().Be(7);
    }

    [Fact]
    public void ComputeLogits_ActorWithOtherOutputSize_ThrowsInvalidOperation()
    {
        using var actor = new MlpNetwork(2, [4], 3);
        var policy = new TorchDiscretePolicy(actor, 2, 2);

        FluentActions.Invoking(() => policy.ComputeLogits([1f, 2f], new float[2])).Should().Throw<InvalidOperationException>().WithMessage("*3 values*expected 2*");
    }

    [Fact]
    public void Constructor_InvalidArguments_ThrowWithParameterName()
    {
        using var actor = new MlpNetwork(2, [4], 3);

        FluentActions.Invoking(() => new TorchDiscretePolicy(null!)).Should().Throw<ArgumentNullException>().WithParameterName("actor");
        FluentActions.Invoking(() => new TorchDiscretePolicy(null!, 2, 3)).Should().Throw<ArgumentNullException>().WithParameterName("actor");
        FluentActions.Invoking(() => new TorchDiscretePolicy(actor, 0, 3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("observationSize");
        FluentActions.Invoking(() => new TorchDiscretePolicy(actor, 2, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("actionCount");
    }

    [Fact]
    public void ComputeLogits_WrongSpanLengths_ThrowWithParameterName()
    {
        using var actor = new MlpNetwork(2, [4], 3);
        var policy = new TorchDiscretePolicy(actor);

        FluentActions.Invoking(() => policy.ComputeLogits(new float[3], new float[3])).Should().Throw<ArgumentException>().WithParameterName("observation");
        FluentActions.Invoking(() => policy.ComputeLogits(new float[2], new float[2])).Should().Throw<ArgumentException>().WithParameterName("logits");
    }
}
