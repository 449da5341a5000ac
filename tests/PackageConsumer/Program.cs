// The consumer check (scripts/check-packages.sh): core + DI + one metric, a Training supervised step, and the trained
// actor served by ONNX Runtime from a file. Exits non-zero on any mismatch.
using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PromptKit;
using PromptKit.OnnxRuntime;
using PromptKit.Training;

// 1. Core + DI + one metric: a scorer resolved from the container scores an echoing model's answer.
var services = new ServiceCollection();
services.AddSingleton<IChatClient>(new EchoChatClient());
services.AddPromptKit().AddPromptScorer(_ => new RougeReward(RougeType.Rouge1));
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    Prompt prompt = new PromptBuilder().AddInstruction("the cat sat on the mat").Build();
    PromptScore score = await provider.GetRequiredService<PromptScorer<IReadOnlyList<string>>>()
        .ScoreAsync(prompt, ["the cat sat on the mat"]);
    Check(score.IsSuccess && score.Reward > 0, $"DI scorer: reward {score.Reward}");
}

// 2. Training: behaviour cloning of "the action is the index of the largest feature" (TorchSharp's native runtime).
var examples = new List<SupervisedExample>();
var random = new Random(7);
for (int i = 0; i < 64; i++)
{
    float[] x = [(float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble()];
    int label = x[0] >= x[1] && x[0] >= x[2] ? 0 : x[1] >= x[2] ? 1 : 2;
    examples.Add(new SupervisedExample([.. x], label));
}
using ActorCriticModel model = ActorCriticModel.CreateMlp(3, [3], [16], MlpActivation.Tanh, seed: 1);
SupervisedTrainingResult result = new SupervisedTrainer(new SupervisedTrainerOptions { Epochs = 200, LearningRate = 1e-2, Seed = 1 })
    .Train(model, examples);
Check(result.Last.Accuracy >= 0.8, $"supervised step: train accuracy {result.Last.Accuracy:0.00}");

// 3. OnnxRuntime: the trained actor, exported to a file and served from it, agrees with TorchSharp.
string path = Path.Combine(Path.GetTempPath(), $"promptkit-consumer-{Environment.ProcessId}.onnx");
File.WriteAllBytes(path, model.ExportActorToOnnx(agent: 0));
try
{
    using var policy = new OnnxPolicy(path);
    IDiscretePolicy torch = model.GetPolicy(0);
    int agree = 0;
    foreach (SupervisedExample example in examples)
    {
        float[] observation = example.Observation.ToArray();
        if (policy.SelectAction(observation, ActionSelection.Greedy).Action == torch.SelectAction(observation, ActionSelection.Greedy).Action)
        {
            agree++;
        }
    }

    Check(agree == examples.Count, $"ONNX policy from a file: {agree}/{examples.Count} greedy actions equal TorchSharp's");
}
finally
{
    File.Delete(path);
}

Console.WriteLine("consumer check passed");
return 0;

static void Check(bool ok, string what)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    if (!ok)
    {
        Environment.Exit(1);
    }
}

/// <summary>An offline model that answers with the last user message.</summary>
internal sealed class EchoChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, messages.Last().Text)));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
