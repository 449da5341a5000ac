using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PromptKit;
using PromptKit.OnnxRuntime;
using PromptKit.Training;
using Spectre.Console;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>One method's scores on the test authors, for one variant and training seed (seed −1: seed-independent).</summary>
internal sealed record MethodRow(string Variant, string Method, int Seed, double Reward, double Bleu, double Rouge1, double Rouge2, double RougeL, int Failures, int Examples, long Calls, double Seconds);

/// <summary>Runs every method of the table for one simulator variant: the original prompt, the best fixed edit (chosen on
/// training authors), and per training seed RewriterSL, RewriterRL (PPO from scratch) and RewriterSL→RL.</summary>
internal sealed class RewritingExperiment(
    PromptRewritingOptions options,
    string variant,
    PromptScorer<IReadOnlyList<string>> scorer,
    ImmutableArray<RewritingExample> train,
    ImmutableArray<RewritingExample> validation,
    ImmutableArray<RewritingExample> test,
    string folder,
    Func<long> callsSoFar)
{
    private static readonly BleuReward Bleu = new();
    private static readonly RougeReward Rouge1 = new(RougeType.Rouge1);
    private static readonly RougeReward Rouge2 = new(RougeType.Rouge2);
    private static readonly RougeReward RougeL = new(RougeType.RougeL);
    private readonly HashedTextEncoder _encoder = new(64);
    private long _callsAtStart;
    private long _ticksAtStart;

    public List<(string Name, string CsvPath)> Curves { get; } = [];

    public string? SideBySide { get; private set; }

    public async Task<List<MethodRow>> RunAsync(CancellationToken cancellationToken)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var rows = new List<MethodRow>();
        var baseline = new PromptRewriterTrainer(scorer, _encoder, RewritingSettings.Create(options));
        PointerRewriteLayout layout = baseline.Layout;
        using IPromptRewriter identity = new PromptRewriterBuilder().Build();
        Start();
        rows.Add(Row("Original prompt", -1, await baseline.EvaluateAsync(identity, test, cancellationToken)));

        // The best fixed edit: chosen on TRAINING authors, then applied unchanged to the test authors.
        Start();
        (string Name, double Reward) best = ("no edit", (await baseline.EvaluateAsync(identity, train, cancellationToken)).MeanReward);
        double originalTrain = best.Reward;
        foreach ((string name, Func<ImmutableArray<RewriteElement>, ImmutableArray<int>> edit) in FixedEdits.All)
        {
            double reward = (await baseline.EvaluateAsync(new SequenceRewriter(layout, edit), train, cancellationToken)).MeanReward;
            if (reward > best.Reward)
            {
                best = (name, reward);
            }
        }

        AnsiConsole.MarkupLineInterpolated(invariant, $"  Best fixed edit on training authors: [bold]{best.Name}[/] ({best.Reward:F4}; original {originalTrain:F4}).");
        IPromptRewriter fixedEdit = best.Name == "no edit" ? identity : new SequenceRewriter(layout, FixedEdits.All.First(e => e.Name == best.Name).Edit);
        rows.Add(Row($"Best fixed edit ({best.Name})", -1, await baseline.EvaluateAsync(fixedEdit, test, cancellationToken)));

        for (int s = 0; s < options.Seeds; s++)
        {
            int seed = options.Seed + s;
            string seedFolder = Path.Combine(folder, $"seed-{seed}");
            Directory.CreateDirectory(seedFolder);

            // SL: label = the best of the original and N randomized rewrites per training author; behaviour cloning.
            Start();
            var supervised = new PromptRewriterTrainer(scorer, _encoder, RewritingSettings.Create(options, seed));
            ImmutableArray<RewriteLabel> labels = await supervised.LabelAsync(train, cancellationToken: cancellationToken);
            double labelGain = labels.Average(l => l.Reward - l.OriginalReward);
            using ActorCriticModel sl = supervised.CreateModel(seed);
            SupervisedTrainingResult fit = supervised.TrainSupervised(sl, labels, cancellationToken: cancellationToken);
            AnsiConsole.MarkupLineInterpolated(invariant, $"  Seed {seed}: {labels.Length} labels (best candidate beats the original by {labelGain:F4} on average); SL accuracy {fit.History[^1].Accuracy:F3}.");
            rows.Add(Row("RewriterSL", seed, await supervised.EvaluateAsync(supervised.CreateRewriter(sl), test, cancellationToken)));

            // RL from scratch: PPO without a reference policy.
            Start();
            string rlFolder = Path.Combine(seedFolder, "rl");
            var scratchTrainer = new PromptRewriterTrainer(scorer, _encoder, RewritingSettings.Create(options, seed, rlFolder));
            using ActorCriticModel rl = scratchTrainer.CreateModel(seed);
            TrainingResult rlRun = await TrainWithProgressAsync($"{variant}, seed {seed}: RL from scratch", progress => scratchTrainer.TrainReinforcedAsync(rl, train, reference: null, validation, progress, cancellationToken));
            rows.Add(Row("RewriterRL (PPO from scratch)", seed, await scratchTrainer.EvaluateAsync(scratchTrainer.CreateRewriter(rl), test, cancellationToken)));

            // SL→RL: PPO from the SL policy with a KL penalty toward it (the SL stage's own cost is in its row).
            Start();
            string slRlFolder = Path.Combine(seedFolder, "sl-rl");
            var chainTrainer = new PromptRewriterTrainer(scorer, _encoder, RewritingSettings.Create(options, seed, slRlFolder));
            using ActorCriticModel slRl = sl.Clone();
            TrainingResult slRlRun = await TrainWithProgressAsync($"{variant}, seed {seed}: SL→RL", progress => chainTrainer.TrainReinforcedAsync(slRl, train, reference: sl, validation, progress, cancellationToken));
            PointerPromptRewriter rewriter = chainTrainer.CreateRewriter(slRl);
            rows.Add(Row("RewriterSL→RL", seed, await chainTrainer.EvaluateAsync(rewriter, test, cancellationToken)));
            AnsiConsole.MarkupLineInterpolated(invariant, $"  Seed {seed}: RL kept iteration {rlRun.BestIteration} (validation {rlRun.BestValidationScore:F4}); SL→RL kept iteration {slRlRun.BestIteration} (validation {slRlRun.BestValidationScore:F4}).");

            // Production: the SL→RL policy as ONNX, served by ONNX Runtime, must rewrite every test prompt the same way.
            string onnxPath = Path.Combine(seedFolder, "rewriter-sl-rl.onnx");
            await File.WriteAllBytesAsync(onnxPath, slRl.ExportActorToOnnx(0), cancellationToken);
            using var onnx = new OnnxPolicy(onnxPath);
            var served = new PointerPromptRewriter(onnx, layout);
            int agree = 0;
            foreach (RewritingExample example in test)
            {
                agree += (await served.RewriteAsync(example.Prompt, cancellationToken: cancellationToken)).Equals(await rewriter.RewriteAsync(example.Prompt, cancellationToken: cancellationToken)) ? 1 : 0;
            }

            AnsiConsole.MarkupLineInterpolated(invariant, $"  Seed {seed}: the ONNX export ({onnxPath}) rewrites {agree} of {test.Length} test prompts exactly as TorchSharp does.");
            if (s == 0)
            {
                Curves.Add(($"{variant}: RL from scratch (seed {seed})", Path.Combine(rlFolder, "learning-curve.csv")));
                Curves.Add(($"{variant}: SL→RL (seed {seed})", Path.Combine(slRlFolder, "learning-curve.csv")));
                SideBySide = await DescribeAsync(test[0], rewriter, cancellationToken);
            }
        }

        return rows;
    }

    // A Spectre.Console progress bar over one PPO run: iteration, mean gain of the sampled rewrites, last validation score.
    private async Task<TrainingResult> TrainWithProgressAsync(string name, Func<IProgress<TrainingProgress>, Task<TrainingResult>> train)
    {
        TrainingResult? result = null;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            ProgressTask task = context.AddTask(Markup.Escape(name), maxValue: options.RlIterations);
            double? validationScore = null;
            var reporter = new SynchronousProgress<TrainingProgress>(p =>
            {
                validationScore = p.ValidationScore ?? validationScore;
                task.Value = p.Iteration;
                task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{name}: gain {p.MeanEpisodeReturn ?? 0:+0.000;-0.000}, validation {validationScore?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"}"));
            });
            result = await train(reporter);
        });
        return result!;
    }

    private void Start()
    {
        _callsAtStart = callsSoFar();
        _ticksAtStart = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private MethodRow Row(string method, int seed, RewriteEvaluation evaluation)
    {
        double bleu = 0, r1 = 0, r2 = 0, rl = 0;
        for (int i = 0; i < evaluation.Scores.Length; i++)
        {
            PromptScore score = evaluation.Scores[i];
            if (score.IsSuccess && score.Evaluation.Text is string text)
            {
                IReadOnlyList<string> references = test[i].References;
                bleu += Bleu.Compute(text, references);
                r1 += Rouge1.Compute(text, references);
                r2 += Rouge2.Compute(text, references);
                rl += RougeL.Compute(text, references);
            }
        }

        int n = Math.Max(1, evaluation.Scores.Length);
        return new MethodRow(variant, method, seed, evaluation.MeanReward, 100 * bleu / n, 100 * r1 / n, 100 * r2 / n, 100 * rl / n, evaluation.Failures, evaluation.Scores.Length, callsSoFar() - _callsAtStart, System.Diagnostics.Stopwatch.GetElapsedTime(_ticksAtStart).TotalSeconds);
    }

    private static async Task<string> DescribeAsync(RewritingExample example, PointerPromptRewriter rewriter, CancellationToken cancellationToken)
    {
        Prompt rewritten = await rewriter.RewriteAsync(example.Prompt, cancellationToken: cancellationToken);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## One test author ({example.Id}): editable components before and after RewriterSL→RL");
        foreach (PromptComponent component in example.Prompt.GetEditableComponents())
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"### {component.Name}").AppendLine().AppendLine("Original:").AppendLine();
            AppendComponent(text, component);
            text.AppendLine().AppendLine("Rewritten:").AppendLine();
            if (rewritten.TryGetComponent(component.Name, out PromptComponent? after))
            {
                AppendComponent(text, after);
            }
            else
            {
                text.AppendLine("(removed)");
            }
        }

        return text.ToString();
    }

    private static void AppendComponent(StringBuilder text, PromptComponent component)
    {
        if (component.IsList)
        {
            foreach (string item in component.Items)
            {
                text.Append("- ").AppendLine(item);
            }
        }
        else
        {
            text.AppendLine(component.Text);
        }
    }
}
