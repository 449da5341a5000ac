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
}
