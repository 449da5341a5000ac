// PromptKit quick start: learn a personalized recommendation prompt per user with Reinforced Prompt Personalization
// (RPP and RPP+) on MovieLens, against a frozen LLM (simulated offline, or any OpenAI-compatible endpoint).
using System.ClientModel;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using PromptKit;
using PromptKit.Samples;
using PromptKit.Samples.QuickStart;
using PromptKit.Samples.Recommendation;
using PromptKit.Training;
using Spectre.Console;

if (QuickStartOptions.TryParse(args, out QuickStartOptions? parsed) is int exitCode)
{
    return exitCode; // --help (0) or a bad flag (2, one line on standard error)
}

QuickStartOptions options = parsed!;
using var cancellation = new CancellationTokenSource();
bool checkpointing = false; // outside training there is nothing to keep: Ctrl+C ends the process at once
int stopCode = 130; // the exit code when training stops early: 130 for Ctrl+C, 1 for an unusable checkpoint
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
Directory.CreateDirectory(options.OutputDirectory);

// 1. Data: MovieLens ml-latest-small (research / non-commercial licence, see samples/data), leave-last-out per user.
InteractionDataset dataset = MovieLensLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "movielens-ml-latest-small"));
RecommendationSplit split = RecommendationSplit.Create(dataset, new RecommendationSplitOptions { TrainUsers = options.TrainUsers, ValidationUsers = options.ValidationUsers, TestUsers = options.TestUsers, Seed = options.SplitSeed });
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"MovieLens: {dataset.Users.Length} users, {dataset.Items.Count} movies; {split.Train.Length} training, {split.Validation.Length} validation and {split.Test.Length} test users (disjoint), 10 candidates each in random order.");

// 2. The frozen LLM: any IChatClient.
IChatClient client;
string label;
if (options.UsesRealModel)
{
    client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = new Uri(options.Endpoint!) })
        .GetChatClient(options.Model!).AsIChatClient();
    label = $"{options.Model} at {options.Endpoint}";
}
else
{
    client = new SimulatedRecommenderChatClient(split.TrainingInteractions, options.SplitSeed, SimulatorRules.Get(options.Simulator));
    label = $"SIMULATED recommender LLM, rules '{options.Simulator}' (not a real model; rules in samples/RecommendationSimulation/README.md)";
}

AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Frozen model: [yellow]{label}[/]");
using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = options.UsesRealModel ? 4 : 8 });

RppActionSpaces spaces = RppActionSpaces.Default;
var composer = new RppPromptComposer(spaces);
var features = new ItemFeatureEncoder(split.TrainingInteractions);
var encoder = new RppStateEncoder(features, spaces, options.EpisodeLength);

// Training episodes draw fresh negatives for their user (dynamic negative sampling), so the agents cannot learn one
// candidate set by heart; validation and test users keep the split's fixed candidates.
CandidateResampler? negatives = options.ResampleNegatives ? new CandidateResampler(split.TrainingInteractions) : null;
var reward = new NdcgReward(10);
var rows = new List<(string Method, RankingSummary Scores, string Note)>();

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
    ProgressTask task = progress.AddTask("Fixed prompts on training users", maxValue: fixedPrompts.Count);
    foreach (FixedPrompt prompt in fixedPrompts)
    {
        fixedTrain[prompt] = (await ScorePromptsAsync(split.Train, prompt, ct)).Ndcg10;
        task.Increment(1);
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
    foreach (FixedPrompt start in fixedPrompts.OrderByDescending(f => fixedTrain[f]).Take(3).ToList())
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
            foreach (FixedPrompt candidate in Neighbours(best, historyFormats).Prepend(best))
            {
                if (!fixedTrain.TryGetValue(candidate, out double score))
                {
                    score = (await ScorePromptsAsync(split.Train, candidate, ct)).Ndcg10;
                    fixedTrain[candidate] = score;
                }

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
var fixedTest = new List<ImmutableArray<int>[]>();
foreach (FixedPrompt prompt in fixedPrompts)
{
    fixedTest.Add(await RankAllAsync(split.Test, prompt, ct));
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

// 5. RPP and RPP+: train on training users, report on test users.
const string RppCurveFile = "rpp-learning-curve.csv";
const string RppPlusCurveFile = "rpp-plus-learning-curve.csv";
var rppTrainer = new RppTrainer(TrainerOptions(RppCurveFile, "rpp.ckpt"));
using ActorCriticModel rpp = rppTrainer.CreateModel(encoder, spaces);
TrainingRun? rppTraining = await TrainOrStopAsync("RPP", rppTrainer, rpp, refinerForTraining: null);
if (rppTraining is null)
{
    return stopCode;
}

rpp.SaveWeights(Path.Combine(options.OutputDirectory, "rpp-policy.bin"));
IReadOnlyList<string> onnx = rpp.ExportToOnnx(Path.Combine(options.OutputDirectory, "onnx"));
PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(rpp, encoder, composer, evaluator);
(RankingSummary rppScores, PersonalizedPrompt example) = await PersonalizeAllAsync(personalizer, split.Test, ct);
rows.Add(("RPP", rppScores, $"greedy, last iteration's prompt; {rppTraining.Selection}"));

RppRefiner? refiner = null;
if (options.Refine)
{
    refiner = new RppRefiner(evaluator, spaces);
    var plusTrainer = new RppTrainer(TrainerOptions(RppPlusCurveFile, "rpp-plus.ckpt"));
    using ActorCriticModel plus = plusTrainer.CreateModel(encoder, spaces);
    TrainingRun? plusTraining = await TrainOrStopAsync("RPP+", plusTrainer, plus, refiner);
    if (plusTraining is null)
    {
        return stopCode;
    }

    plus.SaveWeights(Path.Combine(options.OutputDirectory, "rpp-plus-policy.bin"));
    (RankingSummary plusScores, _) = await PersonalizeAllAsync(RppTrainer.CreatePersonalizer(plus, encoder, composer, evaluator, refiner), split.Test, ct);
    rows.Add(("RPP+", plusScores, $"{plusTraining.Selection}; refinement calls {refiner.Calls}, cache hits {refiner.CacheHits}, failures {refiner.Failures}, rejected {refiner.Rejections}"));
}

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
foreach ((string method, RankingSummary scores, string note) in rows)
{
    table.AddRow(Markup.Escape(method), F(scores.Ndcg1), F(scores.Ndcg5), F(scores.Ndcg10), F(scores.Hit1), F(scores.Hit3), scores.Unparsed.ToString("P1", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(note));
}

AnsiConsole.Write(table);

// The same rows as CSV, for scripts that aggregate runs (samples/QuickStart/scripts/robustness.sh).
string resultsCsv = Path.Combine(options.OutputDirectory, "results.csv");
File.WriteAllLines(resultsCsv, ["method,ndcg10,ndcg5,hit1,unparsed", .. rows.Select(r => string.Create(
    System.Globalization.CultureInfo.InvariantCulture, $"{CsvName(r.Method)},{r.Scores.Ndcg10:F4},{r.Scores.Ndcg5:F4},{r.Scores.Hit1:F4},{r.Scores.Unparsed:F4}"))]);
PromptEvaluatorStatistics stats = evaluator.Statistics;
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Model calls {stats.ModelCalls}, cache hits {stats.CacheHits}, failures {stats.Failures}, retries {stats.Retries}; RPP training: {rppTraining.IterationsRun} iterations run, {rppTraining.FaultedSteps} faulted steps.");
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Saved: {resultsCsv}, {Path.Combine(options.OutputDirectory, "rpp-policy.bin")}{(options.Refine ? ", rpp-plus-policy.bin" : string.Empty)}, ONNX actors {string.Join(", ", onnx.Select(Path.GetFileName))}, learning curve {RppCurveFile} and {Path.GetFileName(chart)} (in {options.OutputDirectory}).");

// 8. One test user's personalized prompt.
AnsiConsole.Write(new Rule($"Personalized prompt of test user {split.Test[0].UserId} (selection {Key(example.Selection)})"));
Console.WriteLine(composer.Render(example.Prompt));
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[grey]Total wall time {clock.Elapsed.TotalSeconds:F1} s.{(options.UsesRealModel ? string.Empty : " All scores above come from the SIMULATED LLM.")}[/]");
return 0;

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
        stopCode = 1;
        return null;
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
