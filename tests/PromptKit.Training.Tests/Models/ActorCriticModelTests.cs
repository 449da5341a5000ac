namespace PromptKit.Training.Tests;

public sealed class ActorCriticModelTests
{
    [Fact]
    public void SaveWeights_LoadWeights_RoundTripsEveryParameter()
    {
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-weights-{Guid.NewGuid():N}.bin");
        try
        {
            using var saved = ActorCriticModel.CreateMlp(4, [2], [8], seed: 1);
            using var loaded = ActorCriticModel.CreateMlp(4, [2], [8], seed: 2);

            saved.SaveWeights(path);
            loaded.LoadWeights(path);

            var want = saved.state_dict();
            foreach (var (name, tensor) in loaded.state_dict())
            {
                tensor.allclose(want[name], rtol: 0, atol: 0).Should().BeTrue($"parameter {name} was restored");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CreateMlp_EmptyActionSpaces_ThrowsWithParamName()
    {
        Action act = () => ActorCriticModel.CreateMlp(4, []);

        act.Should().Throw<ArgumentException>().WithParameterName("actionCounts");
    }

    [Fact]
    public void CreateMlp_AgentWithoutActions_ThrowsWithParamName()
    {
        Action act = () => ActorCriticModel.CreateMlp(4, [3, 0]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("actionCounts").WithMessage("*Agent 1 has 0 actions*");
    }

    [Fact]
    public void Constructor_ActorCountDiffersFromActionCounts_ThrowsWithParamName()
    {
        Action act = () => _ = new ActorCriticModel(3, [new MlpNetwork(3, [], 2)], [2, 2], new MlpNetwork(3, [], 1));

        act.Should().Throw<ArgumentException>().WithParameterName("actors");
    }

    [Fact]
    public void GetPolicy_AgentOutOfRange_ThrowsWithParamName()
    {
        using var model = ActorCriticModel.CreateMlp(3, [2], seed: 1);

        Action act = () => model.GetPolicy(1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("agent");
    }
}
