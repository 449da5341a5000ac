// PromptKit quick start: learn a personalized recommendation prompt per user with Reinforced Prompt Personalization
// (RPP and RPP+) on MovieLens, against a frozen LLM (simulated offline, or any OpenAI-compatible endpoint).
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using PromptKit;
using PromptKit.Samples;
using PromptKit.Samples.QuickStart;
using PromptKit.Samples.Recommendation;
using PromptKit.Training;
using Spectre.Console;

SampleFailures.ReportAsOneLine(); // bad input or an unavailable model: one line and an exit code, never a stack trace
if (QuickStartOptions.TryParse(args, out QuickStartOptions? parsed) is int exitCode)
{
    return exitCode; // --help (0) or a bad flag (2, one line on standard error)
}

QuickStartOptions options = parsed!;
using var cancellation = new CancellationTokenSource();
bool checkpointing = false; // outside training there is nothing to keep: Ctrl+C ends the process at once
int stopCode = 130; // the exit code when training stops early: 130 for Ctrl+C, 2 for an unusable checkpoint
Console.CancelKeyPress += (_, e) =>
{
    if (Volatile.Read(ref checkpointing))
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
CancellationToken ct = cancellation.Token;
var clock = Stopwatch.StartNew();
if (SampleFailures.PrepareOutputDirectory(options.OutputDirectory, Console.Error) is int badOutput)
{
    return badOutput;
}

// 1. Data: MovieLens ml-latest-small (research / non-commercial licence, see samples/data), leave-last-out per user.
InteractionDataset dataset = MovieLensLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "movielens-ml-latest-small"));
RecommendationSplit split = RecommendationSplit.Create(dataset, new RecommendationSplitOptions { TrainUsers = options.TrainUsers, ValidationUsers = options.ValidationUsers, TestUsers = options.TestUsers, Seed = options.SplitSeed });
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"MovieLens: {dataset.Users.Length} users, {dataset.Items.Count} movies; {split.Train.Length} training, {split.Validation.Length} validation and {split.Test.Length} test users (disjoint), 10 candidates each in random order.");

// 2. The frozen LLM: any IChatClient.
IChatClient client;
string label;
if (options.UsesRealModel)
{
    // The SDK's own retries are off: PromptKit's pipeline retries, and counts every attempt.
    client = OpenAIModelClient.Create(new Uri(options.Endpoint!), options.ApiKey, options.Model!);
    label = $"{options.Model} at {options.Endpoint}";
}
else
{
    client = new SimulatedRecommenderChatClient(split.TrainingInteractions, options.SplitSeed, SimulatorRules.Get(options.Simulator));
    label = $"SIMULATED recommender LLM, rules '{options.Simulator}' (not a real model; rules in samples/RecommendationSimulation/README.md)";
}

AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Frozen model: [yellow]{label}[/]");
RppActionSpaces spaces = RppActionSpaces.Default;

// What the run will cost: the estimate before any call, consent for a large run against an endpoint, the hard budget,
// the sampling options (temperature 0 against an endpoint) and the response cache (a SQLite file in --out against an
// endpoint, so that a rerun or a resume pays nothing for what it asked before).
long estimate = options.EstimateCalls(CoordinateNeighbours(), options.Environments);
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Estimated frozen-model calls: about {estimate:N0} (an estimate: no cache hit subtracted, two coordinate-search passes, four refinement calls per RPP+ step; preset {options.Preset}){(options.Calls.MaxCalls is int cap ? $"; hard budget {cap:N0} calls" : string.Empty)}{(options.Calls.MaxTokens is long tokenCap ? $"; hard budget {tokenCap:N0} tokens" : string.Empty)}.");
if (options.Calls.ConfirmStart(estimate, options.UsesRealModel, !Console.IsInputRedirected, Console.In, Console.Out) is int declined)
{
    return declined;
}

if (options.Calls.OpenCacheOrReport(options.OutputDirectory, options.UsesRealModel) is not { } openedCache)
{
    return 2;
}

using ResponseCache responseCache = openedCache;
CallBudget? budget = options.Calls.CreateBudget();
ChatOptions? chatOptions = options.Calls.CreateChatOptions(options.UsesRealModel);
int concurrency = options.Calls.ResolveConcurrency(options.UsesRealModel);
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Calls in flight: {concurrency}; response cache: {responseCache.Description}{(chatOptions is null ? string.Empty : $"; temperature {chatOptions.Temperature?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "server default"}, top-p {chatOptions.TopP?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "server default"}, max output tokens {chatOptions.MaxOutputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "server default"}")}.");
using var evaluator = new PromptEvaluator(
    client,
    options.Calls.ApplyFailureShare(new PromptEvaluatorOptions
    {
        MaxConcurrency = concurrency,
        DefaultChatOptions = chatOptions,
        Budget = budget,
        RetryAfter = OpenAIModelClient.RetryAfter, // the server's Retry-After, when it sends one
        UseCache = responseCache.Enabled,
        // The simulator reports no endpoint: its rules and the users it was built from tell its answers apart.
        CachePartition = options.UsesRealModel ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"simulated-recommender|{options.Simulator}|split {options.SplitSeed}|users {options.TrainUsers}/{options.ValidationUsers}/{options.TestUsers}"),
    }),
    cache: responseCache.Storage);
string phase = "the baselines";
long phaseStart = 0;
TimeSpan phaseClock = clock.Elapsed;
TimeSpan phaseBusy = TimeSpan.Zero;
var phaseCalls = new List<(string Phase, long Calls, TimeSpan Wall, TimeSpan Busy)>();

var composer = new RppPromptComposer(spaces);
var features = new ItemFeatureEncoder(split.TrainingInteractions);
var encoder = new RppStateEncoder(features, spaces, options.EpisodeLength);

// Training episodes draw fresh negatives for their user (dynamic negative sampling), so the agents cannot learn one
// candidate set by heart; validation and test users keep the split's fixed candidates.
CandidateResampler? negatives = options.ResampleNegatives ? new CandidateResampler(split.TrainingInteractions) : null;
var reward = new NdcgReward(10);
var rows = new List<(string Method, RankingSummary Scores, string Note)>();
try
{

// 3. Classic recommenders (no LLM).
var similarity = new ItemSimilarity(split.TrainingInteractions);
var popularity = new PopularityRecommender(similarity);
var itemKnn = new ItemKnnRecommender(similarity);
rows.Add(("Popularity", Score(split.Test, popularity.Rank), "no LLM"));
rows.Add(("Item-kNN", Score(split.Test, itemKnn.Rank), "no LLM"));

// 4. Prompt baselines: a random prompt per user, and fixed task-wise prompts (the best chosen on TRAINING users).
// The baselines draw from the split seed: they belong to the task, so runs that differ only in --seed share them.
var random = new TrainingRandom(options.SplitSeed);
rows.Add(("Random prompt", Scores(split.Test, await Task.WhenAll(split.Test.Select(u => { RppSelection s = RandomSelection(random); return RankWithPromptAsync(u, new FixedPrompt(s, ReachedCount(s)), ct); }))), "one random combination per user"));
var combinations = new List<RppSelection>();
var seen = new HashSet<string>();
while (combinations.Count < Math.Min(options.FixedPrompts, spaces.ActionCounts.Aggregate(1, (a, b) => a * b)))
{
    RppSelection s = RandomSelection(random);
    if (seen.Add(Key(s)))
    {
        combinations.Add(s);
    }
}

// A fixed prompt is a selection and a history count; a sampled combination's count is the one its history action
// reaches after a whole episode (the action applied every iteration).
var fixedPrompts = combinations.Select(c => new FixedPrompt(c, ReachedCount(c))).ToList();
var fixedTrain = new Dictionary<FixedPrompt, double>();
await AnsiConsole.Progress().StartAsync(async progress =>
{
    // Every prompt's users at once, so that the calls in flight are not limited to one prompt's users.
    ProgressTask task = progress.AddTask("Fixed prompts on training users", maxValue: fixedPrompts.Count);
    double[] scores = await Task.WhenAll(fixedPrompts.Select(async prompt =>
    {
        double score = (await ScorePromptsAsync(split.Train, prompt, ct)).Ndcg10;
        task.Increment(1);
        return score;
    }));
    for (int i = 0; i < fixedPrompts.Count; i++)
    {
        fixedTrain[fixedPrompts[i]] = scores[i];
    }
});
FixedPrompt bestSampled = fixedPrompts.MaxBy(f => fixedTrain[f])!;
double meanFixedTrain = fixedPrompts.Average(f => fixedTrain[f]);

// The strongest fixed prompt we can find without personalization: coordinate search from the best sampled one over
// each pattern (history actions that add nothing, so that the count stays as chosen) and the history count, on
// training users only.
FixedPrompt bestFixed = bestSampled;
await AnsiConsole.Status().StartAsync("Coordinate search for the best fixed prompt on training users", async _ =>
{
    int[] historyFormats = [.. Enumerable.Range(0, spaces.HistoryRecords.Length).Where(i => spaces.HistoryRecords[i].ItemsToAdd == 0)];
    if (historyFormats.Length == 0)
    {
        return;
    }

    // From each of the three best sampled prompts, so that one local optimum does not decide the baseline.
    foreach (FixedPrompt start in fixedPrompts.OrderByDescending(f => fixedTrain[f]).Take(options.CoordinateStarts).ToList())
    {
        FixedPrompt best = start;
        HistoryRecordsAction action = spaces.HistoryRecords[best.Selection.HistoryRecords];
        if (action.ItemsToAdd != 0)
        {
            int same = historyFormats.FirstOrDefault(i => spaces.HistoryRecords[i].IncludeRatings == action.IncludeRatings && spaces.HistoryRecords[i].Order == action.Order, historyFormats[0]);
            best = best with { Selection = Set(best.Selection, RppPattern.HistoryRecords, same) };
        }

        for (int pass = 0; pass < 3; pass++)
        {
            bool improved = false;
            // A pass tries every neighbour of the prompt it starts from, so they are all scored at once first.
            List<FixedPrompt> candidates = [.. Neighbours(best, historyFormats).Prepend(best)];
            FixedPrompt[] unscored = [.. candidates.Where(c => !fixedTrain.ContainsKey(c)).Distinct()];
            double[] fresh = await Task.WhenAll(unscored.Select(async c => (await ScorePromptsAsync(split.Train, c, ct)).Ndcg10));
            for (int i = 0; i < unscored.Length; i++)
            {
                fixedTrain[unscored[i]] = fresh[i];
            }

            foreach (FixedPrompt candidate in candidates)
            {
                double score = fixedTrain[candidate];

                if (score > fixedTrain[best] + 1e-12)
                {
                    best = candidate;
                    improved = true;
                }
            }

            if (!improved)
            {
                break;
            }
        }

        if (fixedTrain[best] > fixedTrain[bestFixed])
        {
            bestFixed = best;
        }
    }
});
double bestFixedTrain = fixedTrain[bestFixed];

// Each sampled combination's answers on the test users, asked once: they give the fixed rows and the per-user enumeration.
var fixedTest = new List<ImmutableArray<int>[]>(await Task.WhenAll(fixedPrompts.Select(prompt => RankAllAsync(split.Test, prompt, ct))));

// A model whose answers ignore the prompt (the same ranking under every sampled prompt) makes every prompt row measure
// its fixed answer: say so before any table.
string? insensitive = PromptSensitivity.Warning(fixedTest);
if (insensitive is not null)
{
    AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]warning: {insensitive}[/]");
}

ImmutableArray<int>[] bestFixedAnswers = await RankAllAsync(split.Test, bestFixed, ct);
fixedTest.Add(bestFixedAnswers);
rows.Add(($"Best fixed prompt {bestFixed}", Scores(split.Test, bestFixedAnswers), $"BEST FIXED: coordinate search on training users ({fixedTrain.Count} prompts tried)"));
rows.Add(($"Best sampled fixed prompt {bestSampled}", Scores(split.Test, fixedTest[fixedPrompts.IndexOf(bestSampled)]), $"best of {fixedPrompts.Count} sampled on training users"));
rows.Add(("Mean sampled fixed prompt", RankingSummary.Mean([.. fixedTest.Take(fixedPrompts.Count).Select(f => Scores(split.Test, f))]), $"mean of the {fixedPrompts.Count} sampled combinations"));

// Per-user enumeration over the sampled combinations: an upper bound that uses the test labels to pick.
var oracle = new RankingSummary[split.Test.Length];
for (int u = 0; u < split.Test.Length; u++)
{
    int target = split.Test[u].TargetIndex;
    oracle[u] = RankingSummary.Of(fixedTest[0][u], target);
    for (int c = 1; c < fixedTest.Count; c++)
    {
        RankingSummary candidate = RankingSummary.Of(fixedTest[c][u], target);
        if (candidate.Ndcg10 > oracle[u].Ndcg10)
        {
            oracle[u] = candidate;
        }
    }
}

rows.Add(("Per-user enumeration (oracle)", RankingSummary.Mean(oracle), "UPPER BOUND: test labels pick the prompt"));
EndPhase("RPP set-up");

// 5. RPP and RPP+: train on training users, report on test users.
const string RppCurveFile = "rpp-learning-curve.csv";
const string RppPlusCurveFile = "rpp-plus-learning-curve.csv";
var rppTrainer = new RppTrainer(TrainerOptions(RppCurveFile, "rpp.ckpt"));
using ActorCriticModel rpp = rppTrainer.CreateModel(encoder, spaces);
EndPhase("RPP training");
TrainingRun? rppTraining = await TrainOrStopAsync("RPP", rppTrainer, rpp, refinerForTraining: null);
EndPhase("RPP export and test");
if (rppTraining is null)
{
    return stopCode;
}

rpp.SaveWeights(Path.Combine(options.OutputDirectory, "rpp-policy.bin"));
IReadOnlyList<string> onnx = rpp.ExportToOnnx(Path.Combine(options.OutputDirectory, "onnx"));
PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(rpp, encoder, composer, evaluator);
(RankingSummary rppScores, PersonalizedPrompt example) = await PersonalizeAllAsync(personalizer, split.Test, ct);
rows.Add(("RPP", rppScores, $"greedy, last iteration's prompt; {rppTraining.Selection}"));
EndPhase("RPP+ set-up");

RppRefiner? refiner = null;
if (options.Refine)
{
    refiner = new RppRefiner(evaluator, spaces, options.RefineCalls ?? long.MaxValue);
    var plusTrainer = new RppTrainer(TrainerOptions(RppPlusCurveFile, "rpp-plus.ckpt"));
    using ActorCriticModel plus = plusTrainer.CreateModel(encoder, spaces);
    EndPhase("RPP+ training");
    TrainingRun? plusTraining = await TrainOrStopAsync("RPP+", plusTrainer, plus, refiner);
    EndPhase("RPP+ test");
    if (plusTraining is null)
    {
        return stopCode;
    }

    plus.SaveWeights(Path.Combine(options.OutputDirectory, "rpp-plus-policy.bin"));
    (RankingSummary plusScores, _) = await PersonalizeAllAsync(RppTrainer.CreatePersonalizer(plus, encoder, composer, evaluator, refiner), split.Test, ct);
    rows.Add(("RPP+", plusScores, $"{plusTraining.Selection}; refinement calls {refiner.Calls}, cache hits {refiner.CacheHits}, failures {refiner.Failures}, rejected {refiner.Rejections}"));
}

EndPhase("the report");

// 6. The learning curves as a PNG chart next to their CSV files.
string chart = Path.Combine(options.OutputDirectory, "rpp-learning-curve.png");
var curves = new List<(string Name, string CsvPath)> { ("RPP", Path.Combine(options.OutputDirectory, RppCurveFile)) };
if (options.Refine)
{
    curves.Add(("RPP+", Path.Combine(options.OutputDirectory, RppPlusCurveFile)));
}

LearningCurveChart.Write(
    chart,
    curves,
    [($"best fixed prompt {bestFixed}, training users", bestFixedTrain), ("mean sampled fixed prompt, training users", meanFixedTrain)],
    options.UsesRealModel ? $"frozen model: {options.Model}" : "frozen model: SIMULATED recommender (not a real LLM)");

// 7. The table.
var table = new Table().Title($"Test users ({split.Test.Length}), frozen model: {(options.UsesRealModel ? options.Model : "SIMULATED")}")
    .AddColumns("method", "NDCG@1", "NDCG@5", "NDCG@10", "Hit@1", "Hit@3", "unparsed", "note");
// Never a table built silently from fallbacks: requests without a usable answer are scored 0 (and counted as
// unparsed), and the caption says how many there were; so does a model that ignores the prompt.
PromptEvaluatorStatistics finalStats = evaluator.Statistics;
long unusable = finalStats.Failures + finalStats.TimedOut + finalStats.Empty + finalStats.Malformed;
string caption = string.Join(" ", new[]
{
    unusable > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"WARNING: {unusable:N0} of {finalStats.Requests:N0} model requests had no usable answer (failed, timed out, empty or malformed) and were scored 0.") : null,
    insensitive is not null ? "WARNING: the model's answers do not depend on the prompt." : null,
}.Where(c => c is not null));
if (caption.Length > 0)
{
    table.Caption(Markup.Escape(caption), new Style(Color.Yellow));
}

foreach ((string method, RankingSummary scores, string note) in rows)
{
    table.AddRow(Markup.Escape(method), F(scores.Ndcg1), F(scores.Ndcg5), F(scores.Ndcg10), F(scores.Hit1), F(scores.Hit3), scores.Unparsed.ToString("P1", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(note));
}

AnsiConsole.Write(table);

// The same rows as CSV, for scripts that aggregate runs (samples/QuickStart/scripts/robustness.sh).
string resultsCsv = Path.Combine(options.OutputDirectory, "results.csv");
WriteResultsCsv(resultsCsv);
PromptEvaluatorStatistics stats = evaluator.Statistics;
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"{ModelCallSettings.DescribeCalls(stats)} RPP training: {rppTraining.IterationsRun} iterations run, {rppTraining.FaultedSteps} faulted steps.");
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Calls by phase: {string.Join("; ", phaseCalls.Where(p => p.Calls > 0).Select(p => $"{p.Phase} {p.Calls:N0} in {p.Wall.TotalSeconds:F1} s ({p.Calls / Math.Max(p.Wall.TotalSeconds, 1e-9):F1}/s, no call in flight {1 - (p.Busy.Ticks / (double)Math.Max(p.Wall.Ticks, 1)):P1} of it)"))}; estimate {estimate:N0}. Tokens reported: {stats.TotalTokens:N0}. Peak calls in flight {stats.PeakCallsInFlight}; a call was in flight {stats.ModelBusyTime.TotalSeconds:F1} s of {clock.Elapsed.TotalSeconds:F1} s.");
File.WriteAllLines(Path.Combine(options.OutputDirectory, "calls-by-phase.csv"), ["phase,calls,wall_s,busy_s,peak_in_flight", .. phaseCalls.Select(p => string.Create(
    System.Globalization.CultureInfo.InvariantCulture, $"{p.Phase},{p.Calls},{p.Wall.TotalSeconds:F3},{p.Busy.TotalSeconds:F3},{stats.PeakCallsInFlight}"))]);
File.WriteAllText(Path.Combine(options.OutputDirectory, "run-status.txt"), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"complete: {stats.ModelCalls} model calls, {stats.CacheHits} cache hits, {stats.TotalTokens} tokens, {clock.Elapsed.TotalSeconds:F1} s\n"));
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Saved: {resultsCsv}, {Path.Combine(options.OutputDirectory, "rpp-policy.bin")}{(options.Refine ? ", rpp-plus-policy.bin" : string.Empty)}, ONNX actors {string.Join(", ", onnx.Select(Path.GetFileName))}, learning curve {RppCurveFile} and {Path.GetFileName(chart)} (in {options.OutputDirectory}).");

// 8. One test user's personalized prompt.
AnsiConsole.Write(new Rule($"Personalized prompt of test user {split.Test[0].UserId} (selection {Key(example.Selection)})"));
Console.WriteLine(composer.Render(example.Prompt));
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[grey]Total wall time {clock.Elapsed.TotalSeconds:F1} s.{(options.UsesRealModel ? string.Empty : " All scores above come from the SIMULATED LLM.")}[/]");
return 0;
}
catch (CallBudgetExceededException ex)
{
    // The hard budget is spent: a clean stop. A trainer that was running wrote its checkpoint; the rows finished so
    // far are kept, and run-status.txt says why the table is incomplete.
    PromptEvaluatorStatistics spent = evaluator.Statistics;
    string status = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stopped: {ex.Budget?.SpentReason ?? "the call budget is spent"} during {phase}; {spent.ModelCalls} model calls, {spent.CacheHits} cache hits, {spent.TotalTokens} tokens, {clock.Elapsed.TotalSeconds:F1} s. Finished training iterations are checkpointed in {options.OutputDirectory}; rerun with the same --out to continue; --max-calls limits each run on its own, not the total, and only responses in a persistent cache (--cache; the default against an endpoint) cost nothing again.");
    File.WriteAllText(Path.Combine(options.OutputDirectory, "run-status.txt"), status + "\n");
    WriteResultsCsv(Path.Combine(options.OutputDirectory, "results.csv"));
    AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]Budget: {status}[/]");
    AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]results.csv holds the {rows.Count} rows finished before the stop.[/]");
    return 3;
}
catch (ModelUnavailableException ex)
{
    // The frozen model stopped answering (the circuit breaker opened): save what is finished, then one line and exit 4.
    PromptEvaluatorStatistics failed = evaluator.Statistics;
    File.WriteAllText(Path.Combine(options.OutputDirectory, "run-status.txt"), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stopped: the frozen model is unavailable during {phase}; {ModelCallSettings.DescribeCalls(failed)} Finished rows are in results.csv; a trainer that was running wrote its checkpoint.\n"));
    WriteResultsCsv(Path.Combine(options.OutputDirectory, "results.csv"));
    Console.Error.WriteLine(SampleFailures.Describe(ex)!.Value.Line);
    return SampleFailures.ModelUnavailable;
}

void WriteResultsCsv(string path) =>
    File.WriteAllLines(path, ["method,ndcg10,ndcg5,hit1,unparsed", .. rows.Select(r => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"{CsvName(r.Method)},{r.Scores.Ndcg10:F4},{r.Scores.Ndcg5:F4},{r.Scores.Hit1:F4},{r.Scores.Unparsed:F4}"))]);

// Each phase's model calls, wall time and time with at least one call in flight (the rest is the trainer's own work).
void EndPhase(string next)
{
    PromptEvaluatorStatistics now = evaluator.Statistics;
    TimeSpan wall = clock.Elapsed;
    phaseCalls.Add((phase, now.ModelCalls - phaseStart, wall - phaseClock, now.ModelBusyTime - phaseBusy));
    (phaseStart, phaseClock, phaseBusy, phase) = (now.ModelCalls, wall, now.ModelBusyTime, next);
}

int CoordinateNeighbours()
{
    int historyFormats = 0;
    for (int i = 0; i < spaces.HistoryRecords.Length; i++)
    {
        historyFormats += spaces.HistoryRecords[i].ItemsToAdd == 0 ? 1 : 0;
    }

    return spaces.ActionCounts[0] + historyFormats + spaces.ActionCounts[2] + spaces.ActionCounts[3] + spaces.MaxHistoryCount + 1;
}

// Trains with validation users choosing the weights (the trainer validates every options.ValidateEvery iterations and
// ends with the best weights, checkpointed with the run): test users are only reported. Returns null when the run stops
// early (Ctrl+C, or a checkpoint it cannot resume).
async Task<TrainingRun?> TrainOrStopAsync(string name, RppTrainer trainer, ActorCriticModel model, RppRefiner? refinerForTraining)
{
    TrainingResult result;
    Volatile.Write(ref checkpointing, true);
    try
    {
        result = await TrainAsync(name, trainer, model, refinerForTraining);
    }
    catch (CheckpointException ex)
    {
        // Typically a checkpoint from another version or other flags in the output folder.
        AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[red]{name} cannot resume: {ex.Message} Here: delete the output folder's checkpoints or choose another --out.[/]");
        stopCode = SampleFailures.BadInput;
        return null;
    }
    catch (OperationCanceledException ex) when (ex is CallBudgetExceededException or ModelUnavailableException)
    {
        phase = $"{name} training";
        throw;
    }
    catch (OperationCanceledException)
    {
        AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]Stopped during {name} training. Its checkpoint in the output folder keeps the last finished iteration; run again with the same flags to resume.[/]");
        return null;
    }
    finally
    {
        Volatile.Write(ref checkpointing, false);
    }

    if (ct.IsCancellationRequested)
    {
        AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]Stopped after {name} training; its checkpoint is complete. Run again with the same flags to continue.[/]");
        return null;
    }

    foreach (TrainingProgress p in result.History)
    {
        if (p.ValidationScore is double score)
        {
            AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[grey]{name} after {p.Iteration} iterations: validation NDCG@10 {score:F4}[/]");
        }
    }

    string selection = result.BestIteration is int best
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"weights of iteration {best}, chosen on {split.Validation.Length} validation users (NDCG@10 {result.BestValidationScore:F3})")
        : $"weights after {options.Iterations} iterations (no validation users)";
    return new TrainingRun(result.History.Length, result.Last?.TotalFaultedSteps ?? 0, selection);
}

async Task<TrainingResult> TrainAsync(string name, RppTrainer runner, ActorCriticModel model, RppRefiner? refinerForTraining)
{
    TrainingResult? result = null;
    await AnsiConsole.Progress().StartAsync(async progress =>
    {
        ProgressTask task = progress.AddTask($"Training {name}", maxValue: options.Iterations);
        var reporter = new SynchronousProgress<TrainingProgress>(p =>
        {
            task.Value = p.Iteration;
            task.Description = $"Training {name} (mean NDCG@10 {p.MeanStepReward:F3})";
        });
        result = await runner.TrainAsync(model, split.Train, encoder, composer, evaluator, refinerForTraining, negatives, split.Validation, reporter, ct);
    });
    return result!;
}

async Task<(RankingSummary Scores, PersonalizedPrompt First)> PersonalizeAllAsync(PromptPersonalizer p, ImmutableArray<RecommendationExample> users, CancellationToken token)
{
    PersonalizedPrompt[] results = await Task.WhenAll(users.Select(user => p.PersonalizeAsync(user, token)));
    var rankings = new ImmutableArray<int>[results.Length];
    for (int i = 0; i < results.Length; i++)
    {
        rankings[i] = Ranking(results[i].Answer, users[i]);
    }

    return (Scores(users, rankings), results[0]);
}

async Task<RankingSummary> ScorePromptsAsync(ImmutableArray<RecommendationExample> users, FixedPrompt prompt, CancellationToken token) =>
    Scores(users, await RankAllAsync(users, prompt, token));

async Task<ImmutableArray<int>[]> RankAllAsync(ImmutableArray<RecommendationExample> users, FixedPrompt prompt, CancellationToken token) =>
    await Task.WhenAll(users.Select(u => RankWithPromptAsync(u, prompt, token)));

int ReachedCount(RppSelection selection)
{
    int count = spaces.InitialHistoryCount;
    for (int t = 0; t < options.EpisodeLength; t++)
    {
        count = composer.NextHistoryCount(count, selection);
    }

    return count;
}

IEnumerable<FixedPrompt> Neighbours(FixedPrompt p, int[] historyFormats)
{
    foreach (RppPattern pattern in Enum.GetValues<RppPattern>())
    {
        IEnumerable<int> actions = pattern == RppPattern.HistoryRecords ? historyFormats : Enumerable.Range(0, spaces.GetActionCount(pattern));
        foreach (int i in actions)
        {
            yield return p with { Selection = Set(p.Selection, pattern, i) };
        }
    }

    for (int k = 1; k <= spaces.MaxHistoryCount; k++)
    {
        yield return p with { HistoryCount = k };
    }
}

static RankingSummary Scores(ImmutableArray<RecommendationExample> users, ImmutableArray<int>[] ranked)
{
    var perUser = new RankingSummary[users.Length];
    for (int i = 0; i < users.Length; i++)
    {
        perUser[i] = RankingSummary.Of(ranked[i], users[i].TargetIndex);
    }

    return RankingSummary.Mean(perUser);
}

RppTrainerOptions TrainerOptions(string curveFile, string checkpoint)
{
    RppTrainerOptions settings = QuickStartTraining.Options(options.Iterations, options.Seed);
    settings.Trainer.CheckpointPath = Path.Combine(options.OutputDirectory, checkpoint);
    settings.Trainer.LearningCurvePath = Path.Combine(options.OutputDirectory, curveFile);
    settings.Trainer.ValidateEvery = options.ValidateEvery;
    settings.Trainer.EnvironmentCount = options.Environments;
    return settings;
}

async Task<ImmutableArray<int>> RankWithPromptAsync(RecommendationExample user, FixedPrompt prompt, CancellationToken token)
{
    PromptEvaluation answer = await evaluator.EvaluateAsync(composer.Compose(user, prompt.Selection, Math.Min(prompt.HistoryCount, user.History.Length)), composer.Format, cancellationToken: token);
    return Ranking(answer, user);
}

// The ranking an answer gives, or default when it names no candidate (or the call failed): scored 0 and counted as
// unparsed, exactly as training rewards it.
ImmutableArray<int> Ranking(PromptEvaluation answer, RecommendationExample user)
{
    RankingRewardResult result = reward.Evaluate(answer.Text ?? string.Empty, user.RankingTarget);
    return result.Parse.IsParseFailure ? default : result.Parse.Ranking;
}

static RankingSummary Score(ImmutableArray<RecommendationExample> users, Func<RecommendationExample, ImmutableArray<int>> rank) =>
    Scores(users, [.. users.Select(rank)]);

RppSelection RandomSelection(Random r) => new(r.Next(spaces.ActionCounts[0]), r.Next(spaces.ActionCounts[1]), r.Next(spaces.ActionCounts[2]), r.Next(spaces.ActionCounts[3]));

static RppSelection Set(RppSelection s, RppPattern pattern, int value)
{
    Span<int> indices = stackalloc int[4];
    s.CopyTo(indices);
    indices[(int)pattern] = value;
    return new RppSelection(indices);
}

static string Key(RppSelection s) => $"({s.RolePlaying},{s.HistoryRecords},{s.ReasoningGuidance},{s.OutputFormat})";


// A row's name without the selection it may carry, e.g. "Best fixed prompt".
static string CsvName(string method) =>
    method.StartsWith("Best fixed prompt", StringComparison.Ordinal) ? "Best fixed prompt"
    : method.StartsWith("Best sampled fixed prompt", StringComparison.Ordinal) ? "Best sampled fixed prompt"
    : method;

static string F(double value) => value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);


/// <summary>What a chunked, validated training run did.</summary>
internal sealed record TrainingRun(int IterationsRun, long FaultedSteps, string Selection);

/// <summary>A fixed task-wise prompt: the same selection and history count for every user.</summary>
internal readonly record struct FixedPrompt(RppSelection Selection, int HistoryCount)
{
    public override string ToString() => $"({Selection.RolePlaying},{Selection.HistoryRecords},{Selection.ReasoningGuidance},{Selection.OutputFormat}; {HistoryCount} items)";
}
