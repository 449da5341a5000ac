// PromptKit quick start: learn a personalized recommendation prompt per user with Reinforced Prompt Personalization
// (RPP and RPP+) on MovieLens, against a frozen LLM (simulated offline, or any OpenAI-compatible endpoint).
using System.ClientModel;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using PromptKit;
using PromptKit.Samples.QuickStart;
using PromptKit.Samples.Recommendation;
using Spectre.Console;

QuickStartOptions options;
try
{
    options = QuickStartOptions.Parse(args);
}
catch (ArgumentException ex)
{
    AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(QuickStartOptions.Help);
    return 0;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
CancellationToken ct = cancellation.Token;
var clock = Stopwatch.StartNew();
Directory.CreateDirectory(options.OutputDirectory);

// 1. Data: MovieLens ml-latest-small (research / non-commercial licence, see samples/data), leave-last-out per user.
InteractionDataset dataset = MovieLensLoader.Load(Path.Combine(AppContext.BaseDirectory, "data", "movielens-ml-latest-small"));
RecommendationSplit split = RecommendationSplit.Create(dataset, new RecommendationSplitOptions { TrainUsers = options.TrainUsers, TestUsers = options.TestUsers, Seed = options.Seed });
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"MovieLens: {dataset.Users.Length} users, {dataset.Items.Count} movies; {split.Train.Length} training and {split.Test.Length} test users (disjoint), 10 candidates each in random order.");

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
    client = new SimulatedRecommenderChatClient(split.TrainingInteractions, options.Seed);
    label = "SIMULATED recommender LLM (not a real model; rules in samples/RecommendationSimulation/README.md)";
}

AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Frozen model: [yellow]{label}[/]");
using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = options.UsesRealModel ? 4 : 8 });

RppActionSpaces spaces = RppActionSpaces.Default;
var composer = new RppPromptComposer(spaces);
var features = new ItemFeatureEncoder(split.TrainingInteractions);
var encoder = new RppStateEncoder(features, spaces, options.EpisodeLength);
var reward = new NdcgReward(10);
var rows = new List<(string Method, RankingSummary Scores, string Note)>();

// 3. Classic recommenders (no LLM).
var similarity = new ItemSimilarity(split.TrainingInteractions);
var popularity = new PopularityRecommender(similarity);
var itemKnn = new ItemKnnRecommender(similarity);
rows.Add(("Popularity", Score(split.Test, popularity.Rank), "no LLM"));
rows.Add(("Item-kNN", Score(split.Test, itemKnn.Rank), "no LLM"));

// 4. Prompt baselines: a random prompt per user, and fixed task-wise prompts (the best chosen on TRAINING users).
var random = new TrainingRandom(options.Seed);
rows.Add(("Random prompt", (await ScorePromptsAsync(split.Test, _ => RandomSelection(random), ct)).Summarize(), "one random combination per user"));
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

var fixedTrain = new List<(RppSelection Selection, double Ndcg10)>();
await AnsiConsole.Progress().StartAsync(async progress =>
{
    ProgressTask task = progress.AddTask("Fixed prompts on training users", maxValue: combinations.Count);
    foreach (RppSelection selection in combinations)
    {
        RankingScores train = await ScorePromptsAsync(split.Train, _ => selection, ct);
        fixedTrain.Add((selection, train.Ndcg(10)));
        task.Increment(1);
    }
});
(RppSelection bestFixed, double bestFixedTrain) = fixedTrain.MaxBy(f => f.Ndcg10);
// Each combination's answers on the test users, asked once: they give the fixed rows and the per-user enumeration.
var fixedTest = new List<(ImmutableArray<int> Ranking, bool Unparsed)[]>();
foreach (RppSelection selection in combinations)
{
    fixedTest.Add(await RankAllAsync(split.Test, _ => selection, ct));
}

RankingSummary bestFixedTest = Scores(split.Test, fixedTest[combinations.IndexOf(bestFixed)]).Summarize();
rows.Add(($"Best fixed prompt {Key(bestFixed)}", bestFixedTest, $"best of {combinations.Count} on training users"));
rows.Add(("Mean fixed prompt", RankingSummary.Mean([.. fixedTest.Select(f => Scores(split.Test, f).Summarize())]), $"mean of the {combinations.Count} fixed combinations"));

// Per-user enumeration over the sampled combinations: an upper bound that uses the test labels to pick.
var oracle = new RankingScores();
for (int u = 0; u < split.Test.Length; u++)
{
    int target = split.Test[u].TargetIndex;
    (ImmutableArray<int> Ranking, bool Unparsed) best = fixedTest[0][u];
    for (int c = 1; c < fixedTest.Count; c++)
    {
        if (Ndcg10(fixedTest[c][u].Ranking, target) > Ndcg10(best.Ranking, target))
        {
            best = fixedTest[c][u];
        }
    }

    oracle.Add(best.Ranking, target, best.Unparsed);
}

rows.Add(("Per-user enumeration (oracle)", oracle.Summarize(), "UPPER BOUND: test labels pick the prompt"));

// 5. RPP and RPP+: train on training users, report on test users.
const string RppCurveFile = "rpp-learning-curve.csv";
const string RppPlusCurveFile = "rpp-plus-learning-curve.csv";
var trainer = new RppTrainer(TrainerOptions(RppCurveFile, checkpoint: "rpp.ckpt"));
using ActorCriticModel rpp = trainer.CreateModel(encoder, spaces);
TrainingResult rppTraining;
try
{
    rppTraining = await TrainAsync("RPP", rpp, refinerForTraining: null);
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[yellow]Stopped. The checkpoint in the output folder keeps the last finished iteration; run again to resume.[/]");
    return 130;
}

rpp.SaveWeights(Path.Combine(options.OutputDirectory, "rpp-policy.bin"));
IReadOnlyList<string> onnx = rpp.ExportToOnnx(Path.Combine(options.OutputDirectory, "onnx"));
PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(rpp, encoder, composer, evaluator);
(RankingScores rppScores, PersonalizedPrompt example) = await PersonalizeAllAsync(personalizer, ct);
rows.Add(("RPP", rppScores.Summarize(), "trained agents, greedy; last iteration's prompt"));

RppRefiner? refiner = null;
if (options.Refine)
{
    refiner = new RppRefiner(evaluator, spaces);
    var plusTrainer = new RppTrainer(TrainerOptions(RppPlusCurveFile, checkpoint: null));
    using ActorCriticModel plus = plusTrainer.CreateModel(encoder, spaces);
    await TrainAsync("RPP+", plus, refiner, plusTrainer);
    (RankingScores plusScores, _) = await PersonalizeAllAsync(RppTrainer.CreatePersonalizer(plus, encoder, composer, evaluator, refiner), ct);
    rows.Add(("RPP+", plusScores.Summarize(), $"refinement calls {refiner.Calls}, cache hits {refiner.CacheHits}, failures {refiner.Failures}"));
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
    [($"best fixed prompt {Key(bestFixed)}, training users", bestFixedTrain), ("mean fixed prompt, training users", fixedTrain.Average(f => f.Ndcg10))],
    options.UsesRealModel ? $"frozen model: {options.Model}" : "frozen model: SIMULATED recommender (not a real LLM)");

// 7. The table.
var table = new Table().Title($"Test users ({split.Test.Length}), frozen model: {(options.UsesRealModel ? options.Model : "SIMULATED")}")
    .AddColumns("method", "NDCG@1", "NDCG@5", "NDCG@10", "Hit@1", "Hit@3", "note");
foreach ((string method, RankingSummary scores, string note) in rows)
{
    table.AddRow(Markup.Escape(method), F(scores.Ndcg1), F(scores.Ndcg5), F(scores.Ndcg10), F(scores.Hit1), F(scores.Hit3), Markup.Escape(note));
}

AnsiConsole.Write(table);
PromptEvaluatorStatistics stats = evaluator.Statistics;
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Model calls {stats.ModelCalls}, cache hits {stats.CacheHits}, failures {stats.Failures}, retries {stats.Retries}; RPP training: {rppTraining.History.Length} iterations, {rppTraining.Last?.TotalFaultedSteps ?? 0} faulted steps.");
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"Saved: {Path.Combine(options.OutputDirectory, "rpp-policy.bin")}, ONNX actors {string.Join(", ", onnx.Select(Path.GetFileName))}, learning curve {RppCurveFile} and {Path.GetFileName(chart)} (in {options.OutputDirectory}).");

// 8. One test user's personalized prompt.
AnsiConsole.Write(new Rule($"Personalized prompt of test user {split.Test[0].UserId} (selection {Key(example.Selection)})"));
Console.WriteLine(composer.Render(example.Prompt));
AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[grey]Total wall time {clock.Elapsed.TotalSeconds:F1} s.{(options.UsesRealModel ? string.Empty : " All scores above come from the SIMULATED LLM.")}[/]");
return 0;

async Task<TrainingResult> TrainAsync(string name, ActorCriticModel model, RppRefiner? refinerForTraining, RppTrainer? customTrainer = null)
{
    TrainingResult? result = null;
    await AnsiConsole.Progress().StartAsync(async progress =>
    {
        ProgressTask task = progress.AddTask($"Training {name}", maxValue: options.Iterations);
        var reporter = new InlineProgress(p =>
        {
            task.Value = p.Iteration;
            task.Description = $"Training {name} (mean NDCG@10 {p.MeanStepReward:F3})";
        });
        result = await (customTrainer ?? trainer).TrainAsync(model, split.Train, encoder, composer, evaluator, refinerForTraining, reporter, ct);
    });
    return result!;
}

async Task<(RankingScores Scores, PersonalizedPrompt First)> PersonalizeAllAsync(PromptPersonalizer p, CancellationToken token)
{
    PersonalizedPrompt[] results = await Task.WhenAll(split.Test.Select(user => p.PersonalizeAsync(user, token)));
    var scores = new RankingScores();
    for (int i = 0; i < results.Length; i++)
    {
        RankingRewardResult r = reward.Evaluate(results[i].Answer.Text ?? string.Empty, split.Test[i].RankingTarget);
        scores.Add(r.Parse.Ranking, split.Test[i].TargetIndex, r.Parse.IsParseFailure);
    }

    return (scores, results[0]);
}

async Task<RankingScores> ScorePromptsAsync(ImmutableArray<RecommendationExample> users, Func<RecommendationExample, RppSelection> choose, CancellationToken token) =>
    Scores(users, await RankAllAsync(users, choose, token));

async Task<(ImmutableArray<int> Ranking, bool Unparsed)[]> RankAllAsync(ImmutableArray<RecommendationExample> users, Func<RecommendationExample, RppSelection> choose, CancellationToken token)
{
    RppSelection[] selections = users.Select(choose).ToArray();
    return await Task.WhenAll(users.Select((u, i) => RankWithPromptAsync(u, selections[i], token)));
}

static RankingScores Scores(ImmutableArray<RecommendationExample> users, (ImmutableArray<int> Ranking, bool Unparsed)[] ranked)
{
    var scores = new RankingScores();
    for (int i = 0; i < users.Length; i++)
    {
        scores.Add(ranked[i].Ranking, users[i].TargetIndex, ranked[i].Unparsed);
    }

    return scores;
}

RppTrainerOptions TrainerOptions(string curveFile, string? checkpoint) => new()
{
    TrainingIterations = options.Iterations,
    Seed = options.Seed,
    ActorLearningRate = 1e-3,
    CriticLearningRate = 1e-3,
    CheckpointPath = checkpoint is null ? null : Path.Combine(options.OutputDirectory, checkpoint),
    LearningCurvePath = Path.Combine(options.OutputDirectory, curveFile),
};

async Task<(ImmutableArray<int> Ranking, bool Unparsed)> RankWithPromptAsync(RecommendationExample user, RppSelection selection, CancellationToken token)
{
    // A fixed prompt is the one its selection reaches after a whole episode (the history action applied every iteration).
    int count = Math.Min(spaces.InitialHistoryCount, user.History.Length);
    for (int t = 0; t < options.EpisodeLength; t++)
    {
        count = Math.Min(composer.NextHistoryCount(count, selection), user.History.Length);
    }

    PromptEvaluation answer = await evaluator.EvaluateAsync(composer.Compose(user, selection, count), composer.Format, cancellationToken: token);
    RankingRewardResult r = reward.Evaluate(answer.Text ?? string.Empty, user.RankingTarget);
    return (r.Parse.Ranking, r.Parse.IsParseFailure);
}

static RankingSummary Score(ImmutableArray<RecommendationExample> users, Func<RecommendationExample, ImmutableArray<int>> rank)
{
    var scores = new RankingScores();
    foreach (RecommendationExample user in users)
    {
        scores.Add(rank(user), user.TargetIndex);
    }

    return scores.Summarize();
}

RppSelection RandomSelection(Random r) => new(r.Next(spaces.ActionCounts[0]), r.Next(spaces.ActionCounts[1]), r.Next(spaces.ActionCounts[2]), r.Next(spaces.ActionCounts[3]));

static string Key(RppSelection s) => $"({s.RolePlaying},{s.HistoryRecords},{s.ReasoningGuidance},{s.OutputFormat})";

static double Ndcg10(ImmutableArray<int> ranking, int target) => RankingScores.NdcgAt(RankingScores.PositionOf(ranking, target), 10);

static string F(double value) => value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);


internal sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
