// Export a policy to ONNX, serve it without any training stack, and pick actions for many users at once.
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PromptKit;
using PromptKit.OnnxRuntime;

const int ObservationSize = 8;
string[] actions = ["no role sentence", "film critic", "friend", "librarian"];

// 1. Weights of a small actor (in a real app they come from PromptKit.Training; here they are seeded random numbers).
var random = new Random(1);
var weights = new MlpPolicyWeightsBuilder(ObservationSize)
    .AddLayer(16, RandomValues(16 * ObservationSize), RandomValues(16), DenseActivation.Tanh)
    .AddLayer(actions.Length, RandomValues(actions.Length * 16), RandomValues(actions.Length))
    .Build();
string path = Path.Combine(Path.GetTempPath(), "promptkit-sample-actor.onnx");
OnnxPolicyExporter.ExportToFile(weights, path);
Console.WriteLine($"Exported the actor to {path} ({new FileInfo(path).Length} bytes, opset {OnnxPolicyExporter.OpsetVersion}).");

// 2. Serve it through DI: the provider choice (CUDA when the GPU runtime is present, else CPU) is logged with its reason.
var services = new ServiceCollection().AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true));
services.AddPromptKit().AddOnnxPolicy(path, o => o.Session.ExecutionProvider = OnnxExecutionProvider.Auto);
await using ServiceProvider provider = services.BuildServiceProvider();
var policy = provider.GetRequiredService<OnnxPolicy>();
Console.WriteLine($"Serving on {policy.ExecutionProvider}: {policy.ObservationSize} features in, {policy.ActionCount} actions out.");

// 3. One user, greedy: the inference-time choice.
float[] user = RandomValues(ObservationSize);
PolicyDecision decision = policy.SelectAction(user, ActionSelection.Greedy);
Console.WriteLine($"User 0 gets \"{actions[decision.Action]}\" (p = {decision.Probability:0.000}).");

// 4. Many users in one run.
const int Users = 256;
float[] observations = RandomValues(Users * ObservationSize);
var decisions = new PolicyDecision[Users];
policy.SelectActions(observations, Users, ActionSelection.Greedy, decisions);
int[] counts = new int[actions.Length];
foreach (PolicyDecision d in decisions)
{
    counts[d.Action]++;
}

Console.WriteLine($"{Users} users: " + string.Join(", ", actions.Select((a, i) => $"{a} ×{counts[i]}")));

// 5. A rough latency figure (BenchmarkDotNet in benchmarks/ gives the real ones).
float[] logits = new float[Users * actions.Length];
for (int i = 0; i < 1000; i++)
{
    policy.ComputeLogits(observations.AsSpan(0, ObservationSize), logits.AsSpan(0, actions.Length));
}

var stopwatch = Stopwatch.StartNew();
const int Calls = 20_000;
for (int i = 0; i < Calls; i++)
{
    policy.ComputeLogits(observations.AsSpan(0, ObservationSize), logits.AsSpan(0, actions.Length));
}

Console.WriteLine($"Batch 1: {stopwatch.Elapsed.TotalMicroseconds / Calls:0.0} µs per call (Stopwatch, {Calls} calls).");
File.Delete(path);

float[] RandomValues(int count)
{
    float[] values = new float[count];
    for (int i = 0; i < count; i++)
    {
        values[i] = (float)((random.NextDouble() * 2) - 1);
    }

    return values;
}
