// PromptKit prompt rewriting: learn to rewrite the summary and synthesis of a personalized prompt so that a frozen
// LLM writes an author's next abstract more like the author (Li et al., 2023), on the bundled arXiv abstracts.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using PromptKit;
using PromptKit.Lucene;
using PromptKit.OnnxRuntime;
using PromptKit.Samples;
using PromptKit.Samples.PromptRewriting;
using PromptKit.Samples.Writing;
using PromptKit.Training;
using Spectre.Console;

SampleFailures.ReportAsOneLine(); // bad input or an unavailable model: one line and an exit code, never a stack trace
if (PromptRewritingOptions.TryParse(args, out PromptRewritingOptions? parsed) is int exitCode)
{
    return exitCode; // --help (0) or a bad flag (2, one line on standard error)
}

PromptRewritingOptions options = parsed!;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
CancellationToken ct = cancellation.Token;
var clock = Stopwatch.StartNew();
CultureInfo invariant = CultureInfo.InvariantCulture;
if (SampleFailures.PrepareOutputDirectory(options.OutputDirectory, Console.Error) is int badOutput)
{
    return badOutput;
}

// 1. Data: per author, abstracts by time; the last is the target, the earlier ones the author's past. Split by author.
string dataPath = Path.Combine(AppContext.BaseDirectory, "data", "arxiv-single-author-abstracts", "docs.jsonl");
ImmutableArray<ArxivAuthor> authors = [.. ArxivAbstracts.Load(dataPath).Where(a => a.Abstracts.Length >= 2)];
int needed = options.TrainAuthors + options.ValidationAuthors + options.TestAuthors;
if (authors.Length < needed)
{
    Console.Error.WriteLine($"error: {needed} authors were asked for, but the data has {authors.Length} with at least two abstracts.");
    return 2;
}

ArxivAuthor[] shuffled = [.. authors];
new TrainingRandom(options.SplitSeed).Shuffle(shuffled);
ArxivAuthor[] trainAuthors = shuffled[..options.TrainAuthors];
ArxivAuthor[] validationAuthors = shuffled[options.TrainAuthors..(options.TrainAuthors + options.ValidationAuthors)];
ArxivAuthor[] testAuthors = shuffled[(options.TrainAuthors + options.ValidationAuthors)..needed];
AnsiConsole.MarkupLineInterpolated(invariant, $"arXiv single-author abstracts (CC0): {authors.Length} authors; {trainAuthors.Length} training, {validationAuthors.Length} validation and {testAuthors.Length} test authors (disjoint). Target: each author's latest abstract; context: its title.");

// 2. The frozen LLM: any IChatClient, behind a call counter that enforces the budget.
int? maxCalls = options.MaxCalls; // --max-calls, or 20,000 against an endpoint
PromptRewriterTrainerOptions trainerOptions = RewritingSettings.Create(options);
long estimate = options.EstimateCalls(FixedEdits.All.Length, trainerOptions.Reinforcement.EnvironmentCount * trainerOptions.Reinforcement.StepsPerEnvironment, meanEpisodeLength: 14, trainerOptions.Reinforcement.ValidateEvery);
AnsiConsole.MarkupLineInterpolated(invariant, $"Estimated frozen-model calls: about {estimate:N0} (before cache hits){(maxCalls is int cap ? $"; hard cap {cap:N0}" : string.Empty)}.");
if (maxCalls is int limit && estimate > limit)
{
    Console.Error.WriteLine($"error: the run would make about {estimate:N0} calls, above the cap of {limit:N0}. Lower --seeds, --rl-iterations, --candidates or the author counts, or raise --max-calls.");
    return 2;
}

if (options.Calls.ConfirmStart(estimate, options.UsesRealModel, !Console.IsInputRedirected, Console.In, Console.Out) is int declined)
{
    return declined;
}

// One budget for the whole run (every variant's evaluator spends from it), one response cache, the sampling options.
var budget = new CallBudget(maxCalls, options.Calls.MaxTokens);
if (options.Calls.OpenCacheOrReport(options.OutputDirectory, options.UsesRealModel) is not { } openedCache)
{
    return 2;
}

using ResponseCache responseCache = openedCache;
ChatOptions chatOptions = options.Calls.CreateChatOptions(options.UsesRealModel, forceTemperatureZero: true)!;
AnsiConsole.MarkupLineInterpolated(invariant, $"Calls in flight: {options.Calls.ResolveConcurrency(options.UsesRealModel)}; response cache: {responseCache.Description}.");
var rows = new List<MethodRow>();
string simulated = options.UsesRealModel ? string.Empty : " (SIMULATED writer)";
var curves = new List<(string Name, string CsvPath)>();
string? sideBySide = null;
try
{
    foreach (string variant in options.SelectedVariants)
    {
        using IChatClient client = CreateClient(options, variant, out string label);
        AnsiConsole.MarkupLineInterpolated(invariant, $"[bold]Variant {variant}[/]: frozen model [yellow]{label}[/]");
        using var evaluator = new PromptEvaluator(
            client,
            options.Calls.ApplyFailureShare(new PromptEvaluatorOptions
            {
                MaxConcurrency = options.Calls.ResolveConcurrency(options.UsesRealModel),
                DefaultChatOptions = chatOptions,
                Budget = budget,
                RetryAfter = OpenAIModelClient.RetryAfter, // the server's Retry-After, when it sends one
                UseCache = responseCache.Enabled,
                // The simulated writers report no endpoint: the variant tells their answers apart in a shared cache.
                CachePartition = options.UsesRealModel ? null : $"simulated-writer|{variant}",
                ResponseValidator = response => !ModelAnswers.IsRefusalOrError(response.Text), // a refusal is a failed call, never scored
            }),
            cache: responseCache.Storage);
        PromptPhrasing phrasing = variant == "other-phrasing" ? PromptPhrasing.Other : PromptPhrasing.Default;
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, PromptRewriterTrainer.CreateReward(), phrasing.Format);
        var prompts = new RewritingPrompts(trainAuthors, phrasing);
        ImmutableArray<RewritingExample> train = await prompts.BuildAsync(trainAuthors, ct);
        ImmutableArray<RewritingExample> validation = await prompts.BuildAsync(validationAuthors, ct);
        ImmutableArray<RewritingExample> test = await prompts.BuildAsync(testAuthors, ct);

        var experiment = new RewritingExperiment(options, variant, scorer, train, validation, test, Path.Combine(options.OutputDirectory, variant), () => evaluator.Statistics.ModelCalls);
        rows.AddRange(await experiment.RunAsync(ct));
        curves.AddRange(experiment.Curves);
        sideBySide ??= experiment.SideBySide;
        AnsiConsole.MarkupLineInterpolated(invariant, $"Variant {variant}: {ModelCallSettings.DescribeCalls(evaluator.Statistics)}");
    }
}
catch (CallBudgetExceededException ex)
{
    Console.Error.WriteLine($"error: {ex.Budget?.SpentReason ?? "the call budget is spent"}; the run stopped. Finished RL runs are checkpointed under {options.OutputDirectory}; a re-run with the same --out resumes them; --max-calls limits each run on its own, and only responses in a persistent cache (--cache) cost nothing again.");
    File.WriteAllText(Path.Combine(options.OutputDirectory, "run-status.txt"), $"stopped: {ex.Budget?.SpentReason ?? "the call budget is spent"}; {budget.Calls} model calls\n");
    WriteResults();
    return 1;
}
catch (ModelUnavailableException ex)
{
    // The frozen model stopped answering (the circuit breaker opened): finished RL runs are checkpointed; one line, exit 4.
    File.WriteAllText(Path.Combine(options.OutputDirectory, "run-status.txt"), $"stopped: {ex.Message}\n");
    WriteResults();
    Console.Error.WriteLine(SampleFailures.Describe(ex)!.Value.Line);
    return SampleFailures.ModelUnavailable;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped by Ctrl+C. Finished RL runs are checkpointed; a re-run with the same --out resumes them.");
    return 130;
}

// 3. Results: test authors only, mean ± spread over training seeds.
WriteResults();
if (curves.Count > 0)
{
    LearningCurveChart.Write(
        Path.Combine(options.OutputDirectory, "learning-curves.png"),
        curves,
        [],
        options.UsesRealModel ? $"{options.Model} at {options.Endpoint}" : "SIMULATED writer (samples/WritingSimulation/README.md)",
        column: "mean_episode_return",
        title: "Learning curves: reward gain of sampled rewrites over the original prompt (BLEU + ROUGE-1/2/L), training authors",
        yLabel: "gain over the original prompt");
}

if (sideBySide is not null)
{
    File.WriteAllText(Path.Combine(options.OutputDirectory, "example-rewrite.md"), sideBySide);
    AnsiConsole.WriteLine();
    AnsiConsole.WriteLine(sideBySide);
}

AnsiConsole.MarkupLineInterpolated(invariant, $"{budget.Calls:N0} frozen-model calls in all; wall time {clock.Elapsed.TotalSeconds:F1} s. Results, curves and policies are in {options.OutputDirectory}.");
return 0;

// results.md from the rows finished so far: the whole run here, or the finished variants when the budget is spent or the
// model stops answering (run-status.txt says why it stopped).
void WriteResults()
{
    if (rows.Count > 0)
    {
        File.WriteAllText(Path.Combine(options.OutputDirectory, "results.md"), ResultsTable.Write(rows, simulated, options));
    }
}

static IChatClient CreateClient(PromptRewritingOptions options, string variant, out string label)
{
    if (options.UsesRealModel)
    {
        label = $"{options.Model} at {options.Endpoint}";
        return OpenAIModelClient.Create(new Uri(options.Endpoint!), options.ApiKey, options.Model!); // SDK retries off: PromptKit's pipeline retries and counts
    }

    SimulatedWriterSettings settings = variant == "other-constants" ? SimulatedWriterSettings.OtherConstants : SimulatedWriterSettings.Default;
    label = $"SIMULATED writer, {settings.Name} constants (not a real model; rules in samples/WritingSimulation/README.md)";
    return new SimulatedWriterChatClient(settings);
}
