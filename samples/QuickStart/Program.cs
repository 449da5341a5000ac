using System.ClientModel;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI;
using PromptKit;
using PromptKit.Samples.QuickStart;
using Spectre.Console;

QuickStartOptions options;
try
{
    options = QuickStartOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
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

// 1. Data: per author, earlier papers are the history and the latest paper is held out (leave-last-out by date).
IReadOnlyList<ArxivDocument> documents = ArxivDataset.Load(options.DataPath);
AuthorTask[] tasks = [.. ArxivDataset.LeaveLastOut(documents).OrderBy(t => t.UserId, StringComparer.Ordinal)];
new Random(options.Seed).Shuffle(tasks);
tasks = tasks[..Math.Min(options.Users, tasks.Length)];
var features = new TextFeatures(tasks.SelectMany(t => t.History).Select(d => d.Title + " " + d.Text)); // no held-out text
var prompts = new PersonalizedPrompts(features);

// 2. The frozen LLM: any IChatClient. Simulated offline unless an OpenAI-compatible endpoint is configured.
IChatClient chatClient;
string modelLabel;
if (options.UsesRealModel)
{
    var client = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = new Uri(options.Endpoint!) });
    chatClient = client.GetChatClient(options.Model!).AsIChatClient();
    modelLabel = $"{options.Model} at {options.Endpoint}";
}
else
{
    chatClient = new SimulatedAuthorChatClient { FaultRate = options.FaultRate };
    modelLabel = "SIMULATED LLM (offline stand-in that stitches sentences from the prompt; not a language model)";
}

AnsiConsole.MarkupLine($"[bold]PromptKit quick start[/]: {tasks.Length} arXiv authors, model: [yellow]{Markup.Escape(modelLabel)}[/]");

using var evaluator = new PromptEvaluator(chatClient, new PromptEvaluatorOptions
{
    MaxConcurrency = options.Concurrency,
    RetryBaseDelay = options.UsesRealModel ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(5),
    DefaultChatOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = 300 },
});

// 3. Metrics: sacrebleu-exact sentence BLEU and chrF, rouge-score-exact ROUGE (with Porter stemming).
var bleu = new BleuMetric(new BleuOptions { EffectiveOrder = true });
var chrf = new ChrfMetric();
var rouge = new RougeMetric(new RougeOptions { UseStemmer = true });

Prompt[] fullPrompts = [.. tasks.Select(t => prompts.Build(t))];
var rows = new List<(string Variant, double Bleu, double Rouge1, double Rouge2, double RougeL, double Chrf, int Failed)>();
var examples = new Dictionary<string, string?>(StringComparer.Ordinal);
var stopwatch = Stopwatch.StartNew();
try
{
    await AnsiConsole.Progress().StartAsync(async progress =>
    {
        foreach (string variant in PersonalizedPrompts.VariantNames)
        {
            ProgressTask bar = progress.AddTask($"prompt variant [blue]{variant}[/]", maxValue: tasks.Length);
            IReadOnlyList<ChatMessage>[] requests = [.. fullPrompts.Select(p => PersonalizedPrompts.Variant(p, variant).ToChatMessages())];
            var results = new PromptEvaluation[tasks.Length];
            const int Chunk = 8; // evaluate in chunks so the bar moves; the evaluator bounds concurrency itself
            for (int start = 0; start < requests.Length; start += Chunk)
            {
                int count = Math.Min(Chunk, requests.Length - start);
                ImmutableArray<PromptEvaluation> chunk = await evaluator.EvaluateManyAsync(requests[start..(start + count)], cancellationToken: cancellation.Token);
                chunk.CopyTo(results, start);
                bar.Increment(count);
            }

            double b = 0, r1 = 0, r2 = 0, rl = 0, c = 0;
            int failed = 0;
            for (int i = 0; i < tasks.Length; i++)
            {
                if (!results[i].IsSuccess)
                {
                    failed++; // a failed call scores 0: it is counted, never treated as a success
                    continue;
                }

                string output = results[i].Text!;
                string[] reference = [tasks[i].Target.Text];
                b += bleu.Score(output, reference).Score;
                c += chrf.Score(output, reference).Score;
                RougeResult rr = rouge.Score(tasks[i].Target.Text, output);
                r1 += rr[RougeType.Rouge1].FMeasure;
                r2 += rr[RougeType.Rouge2].FMeasure;
                rl += rr[RougeType.RougeL].FMeasure;
            }

            int n = tasks.Length;
            rows.Add((variant, b / n, 100 * r1 / n, 100 * r2 / n, 100 * rl / n, c / n, failed));
            examples[variant] = results[0].Text;
        }
    });
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[yellow]Cancelled.[/] Nothing was written; rerun to start again.");
    return 130;
}

double best = rows.Max(r => r.RougeL);
var table = new Table().Title(options.UsesRealModel ? "Mean scores on held-out abstracts" : "Mean scores on held-out abstracts — [red]SIMULATED LLM[/]")
    .AddColumns("prompt", "BLEU", "ROUGE-1", "ROUGE-2", "ROUGE-L", "chrF", "failed calls");
foreach ((string variant, double b, double r1, double r2, double rl, double c, int failed) in rows)
{
    string name = rl == best ? $"[green]{variant} (best ROUGE-L)[/]" : variant;
    table.AddRow(name, F(b), F(r1), F(r2), F(rl), F(c), failed.ToString(CultureInfo.InvariantCulture));
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine("Scores are 0–100: sentence BLEU (sacrebleu 13a, exp smoothing, effective order), ROUGE F1 with Porter stemming (rouge-score), chrF (sacrebleu).");

// 4. The response cache: asking again for the same prompts costs no model call.
PromptEvaluatorStatistics before = evaluator.Statistics;
await evaluator.EvaluateManyAsync([.. fullPrompts.Select(p => p.ToChatMessages())], cancellationToken: cancellation.Token);
PromptEvaluatorStatistics after = evaluator.Statistics;
AnsiConsole.MarkupLine(
    $"Evaluator: {after.ModelCalls} model calls, {after.Retries} retries after transient faults, {after.Failures + after.TimedOut} failed, " +
    $"{after.InputTokens + after.OutputTokens:N0} tokens{(options.UsesRealModel ? string.Empty : " (simulated: words)")}, {stopwatch.Elapsed.TotalSeconds:0.0} s.");
AnsiConsole.MarkupLine(
    $"Re-running the {fullPrompts.Length} 'full' prompts: {after.ModelCalls - before.ModelCalls} model calls, {after.CacheHits - before.CacheHits} cache hits.");

// 5. One author's prompt and output.
AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(tasks[0].Author)}[/]: the 'full' prompt"));
AnsiConsole.WriteLine(fullPrompts[0].Render());
AnsiConsole.Write(new Rule("model output"));
AnsiConsole.WriteLine(examples["full"] ?? "(the call failed)");
AnsiConsole.Write(new Rule("the author's real abstract"));
AnsiConsole.WriteLine(tasks[0].Target.Text);
return 0;

static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
