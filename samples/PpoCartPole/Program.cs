// Train PPO on CartPole-v1 with PromptKit.Training, then evaluate the greedy policy on 100 fresh episodes.
using System.Diagnostics;
using System.Globalization;
using PromptKit;
using PromptKit.Samples;
using PromptKit.Samples.PpoCartPole;
using Spectre.Console;
using TorchSharp;
using PromptKit.Training;

SampleFailures.ReportAsOneLine(); // bad input (e.g. a corrupt checkpoint): one line and exit code 2, never a stack trace
if (PpoCartPoleOptions.TryParse(args, out PpoCartPoleOptions? parsed) is int exitCode)
{
    return exitCode; // --help (0) or a bad flag (2, one line on standard error)
}

PpoCartPoleOptions options = parsed!;
var total = Stopwatch.StartNew();
CultureInfo c = CultureInfo.InvariantCulture;

// A 4-64-64-2 network is far too small for intra-op threads to pay off; one thread is fastest.
torch.set_num_threads(1);
if (SampleFailures.PrepareOutputDirectory(options.OutputFolder, Console.Error) is int badOutput)
{
    return badOutput;
}

string checkpoint = Path.Combine(options.OutputFolder, "checkpoint.bin");
string curve = Path.Combine(options.OutputFolder, "learning-curve.csv");
PpoTrainerOptions ppo = CartPoleTraining.CreateOptions(options.Iterations, options.Seed, checkpoint, curve);
var trainer = new PpoTrainer(ppo);
using var model = ActorCriticModel.CreateMlp(4, [2], [64, 64], MlpActivation.Tanh, seed: options.Seed);

Console.WriteLine(string.Create(c, $"PPO on CartPole-v1: {ppo.EnvironmentCount} envs × {ppo.StepsPerEnvironment} steps, {ppo.Iterations} iterations ({(long)ppo.Iterations * ppo.EnvironmentCount * ppo.StepsPerEnvironment:N0} env steps), seed {options.Seed}."));
Console.WriteLine($"Checkpoint: {checkpoint} (re-running with the same --out resumes from it; delete the folder to start over).");
Console.WriteLine($"Learning curve: {curve}");
if (File.Exists(checkpoint))
{
    Console.WriteLine("A checkpoint exists: resuming from it.");
}
else if (File.Exists(curve))
{
    File.Delete(curve); // a fresh run starts a fresh curve; a resumed one appends
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // let the trainer stop at the next step and write its checkpoint
    cts.Cancel();
};

TrainingResult result;
try
{
    result = await TrainWithProgressAsync();
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.WriteLine($"Cancelled. The last finished iteration is checkpointed in {checkpoint}; run the same command again to resume.");
    return 130;
}
catch (CheckpointException e)
{
    Console.Error.WriteLine($"{e.Message} Delete {options.OutputFolder} to start over.");
    return 2;
}

long steps = result.Last?.TotalSteps ?? 0;
Console.WriteLine(result.ResumedAfterIteration > 0
    ? string.Create(c, $"Resumed after iteration {result.ResumedAfterIteration}; trained {result.History.Length} more iterations in {result.Elapsed.TotalSeconds:F1} s.")
    : string.Create(c, $"Trained {result.History.Length} iterations ({steps:N0} env steps) in {result.Elapsed.TotalSeconds:F1} s."));

var evaluationTime = Stopwatch.StartNew();
EvaluationResult evaluation = await GreedyEvaluation.RunAsync(model.GetPolicy(0), CartPoleTraining.EvaluationEpisodes, options.Seed, cts.Token);
Console.WriteLine(string.Create(c, $"Greedy policy over {evaluation.Episodes} evaluation episodes: mean return {evaluation.MeanReturn:F1}, min {evaluation.MinReturn:F0}, max {evaluation.MaxReturn:F0} ({evaluationTime.Elapsed.TotalSeconds:F1} s)."));
Console.WriteLine(string.Create(c, $"Total wall time: {total.Elapsed.TotalSeconds:F1} s."));
if (evaluation.MeanReturn < CartPoleTraining.SolvedMeanReturn)
{
    Console.WriteLine(string.Create(c, $"NOT SOLVED: the mean return is below {CartPoleTraining.SolvedMeanReturn}."));
    return 1;
}

Console.WriteLine(string.Create(c, $"Solved: mean return ≥ {CartPoleTraining.SolvedMeanReturn}."));
return 0;

// Spectre.Console progress: one bar over the iterations, its label the latest mean episode return.
async Task<TrainingResult> TrainWithProgressAsync()
{
    TrainingResult? trained = null;
    await AnsiConsole.Progress().StartAsync(async context =>
    {
        ProgressTask task = context.AddTask("Training PPO", maxValue: ppo.Iterations);
        var reporter = new SynchronousProgress<TrainingProgress>(p =>
        {
            task.Value = p.Iteration;
            if (p.MeanEpisodeReturn is double meanReturn)
            {
                task.Description = string.Create(c, $"Training PPO (mean return {meanReturn:F1}, {p.TotalSteps:N0} steps)");
            }
        });
        trained = await trainer.TrainAsync(model, CartPoleTraining.CreateEnvironmentFactory(options.Seed), progress: reporter, cancellationToken: cts.Token);
    });
    return trained!;
}
