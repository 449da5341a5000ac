using System.CommandLine;
using System.Globalization;

namespace PromptKit.Samples;

/// <summary>The PromptRewriting sample's command-line flags (System.CommandLine).</summary>
public sealed class PromptRewritingOptions
{
    /// <summary>The simulator variants the sample knows, in table order.</summary>
    public static readonly IReadOnlyList<string> Variants = ["default", "other-constants", "other-phrasing"];

    /// <summary>Gets the number of training authors.</summary>
    public int TrainAuthors { get; private init; } = 100;

    /// <summary>Gets the number of validation authors (they choose the RL checkpoint).</summary>
    public int ValidationAuthors { get; private init; } = 30;

    /// <summary>Gets the number of test authors (never seen before the final table).</summary>
    public int TestAuthors { get; private init; } = 50;

    /// <summary>Gets the number of training seeds.</summary>
    public int Seeds { get; private init; } = 3;

    /// <summary>Gets the first training seed (seeds are Seed, Seed + 1, …).</summary>
    public int Seed { get; private init; } = 1;

    /// <summary>Gets the seed of the author split (the same for every training seed).</summary>
    public int SplitSeed { get; private init; }

    /// <summary>Gets the randomized candidates scored per training author in the supervised stage.</summary>
    public int Candidates { get; private init; } = 24;

    /// <summary>Gets the supervised epochs.</summary>
    public int SupervisedEpochs { get; private init; } = 30;

    /// <summary>Gets the PPO iterations of each RL run.</summary>
    public int RlIterations { get; private init; } = 120;

    /// <summary>Gets the PPO actor learning rate.</summary>
    public double RlLearningRate { get; private init; } = 1e-3;

    /// <summary>Gets a value indicating whether the policy sees the elements' text encodings (off: generic features only).</summary>
    public bool ElementText { get; private init; } = true;

    /// <summary>Gets the simulator variants to run (names from <see cref="Variants"/>).</summary>
    public IReadOnlyList<string> SelectedVariants { get; private init; } = ["default"];

    /// <summary>Gets the shared model-call settings: concurrency, sampling options, budget, consent and cache.</summary>
    public ModelCallSettings Calls { get; private init; } = new();

    /// <summary>Gets the hard cap on frozen-model calls: <c>--max-calls</c>, or 20,000 against an endpoint, none simulated.</summary>
    public int? MaxCalls => Calls.MaxCalls ?? (UsesRealModel ? 20_000 : null);

    /// <summary>Gets the output folder.</summary>
    public string OutputDirectory { get; private init; } = Path.GetFullPath("rewriting-output");

    /// <summary>Gets the OpenAI-compatible endpoint, or <see langword="null"/> for the simulated writer.</summary>
    public string? Endpoint { get; private init; } = Environment.GetEnvironmentVariable("PROMPTKIT_ENDPOINT");

    /// <summary>Gets the model name at the endpoint.</summary>
    public string? Model { get; private init; } = Environment.GetEnvironmentVariable("PROMPTKIT_MODEL");

    /// <summary>Gets the API key.</summary>
    public string? ApiKey { get; private init; } =
        Environment.GetEnvironmentVariable("PROMPTKIT_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");

    /// <summary>Gets a value indicating whether a real model is configured.</summary>
    public bool UsesRealModel => Endpoint is not null;

    /// <summary>Creates the command with every flag, its range, default and help text.</summary>
    /// <returns>A new command.</returns>
    public static RootCommand CreateCommand() => CreateCommand(new Flags());

    /// <summary>Parses the flags.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">A flag is unknown or has a bad value.</exception>
    public static PromptRewritingOptions Parse(string[] args)
    {
        var flags = new Flags();
        return SampleCommandLine.Parse(CreateCommand(flags), args, result => Bind(result, flags));
    }

    /// <summary>Parses the flags as the sample's <c>Main</c> does: help prints and exits 0, a bad flag prints one line and exits 2.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="options">The options when the sample should run.</param>
    /// <returns><see langword="null"/> when the sample should run; otherwise the exit code.</returns>
    public static int? TryParse(string[] args, out PromptRewritingOptions? options)
    {
        var flags = new Flags();
        return SampleCommandLine.TryParse(CreateCommand(flags), args, result => Bind(result, flags), out options);
    }

    /// <summary>Estimates the frozen-model calls of one run, before any is made: per variant and seed, the original
    /// prompt and the fixed edits on training authors, the supervised candidates, two RL runs (their rollouts and
    /// validations) and five scored methods on test authors. Calls answered from the response cache are not subtracted.</summary>
    /// <param name="fixedEdits">The number of fixed edits tried on training authors.</param>
    /// <param name="rolloutSize">PPO steps per iteration.</param>
    /// <param name="meanEpisodeLength">The expected steps per rewrite episode.</param>
    /// <param name="validateEvery">PPO iterations between validations.</param>
    /// <returns>The estimate.</returns>
    public long EstimateCalls(int fixedEdits, int rolloutSize, double meanEpisodeLength, int validateEvery)
    {
        long perSeed = (long)TrainAuthors * (fixedEdits + 1)
            + ((long)TrainAuthors * (Candidates + 1))
            + (2L * ((long)Math.Ceiling(RlIterations * rolloutSize / meanEpisodeLength) + ((long)ValidationAuthors * ((RlIterations / validateEvery) + 1))))
            + (5L * TestAuthors);
        return perSeed * Seeds * SelectedVariants.Count;
    }

    private static RootCommand CreateCommand(Flags flags)
    {
        var command = new RootCommand("""
            PromptKit prompt rewriting (Li et al., 2023) on the bundled arXiv single-author abstracts: a pointer policy
            learns to rewrite the summary and synthesis of a personalized prompt (SL on the best randomized rewrite, then
            PPO), rewarded by BLEU + ROUGE-1/2/L of the frozen model's abstract against the author's real one.
            Without --endpoint the frozen LLM is a SIMULATED writer (samples/WritingSimulation/README.md documents its
            rules) and every table is labelled SIMULATED.
            """);
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static PromptRewritingOptions Bind(ParseResult result, Flags flags)
    {
        string variant = result.GetValue(flags.Variant) ?? "default";
        IReadOnlyList<string> variants = variant == "all" ? Variants
            : Variants.Contains(variant) ? [variant]
            : throw new ArgumentException($"--variant '{variant}' is unknown; use {string.Join(", ", Variants)} or all.");
        var options = new PromptRewritingOptions
        {
            TrainAuthors = result.GetValue(flags.TrainAuthors),
            ValidationAuthors = result.GetValue(flags.ValidationAuthors),
            TestAuthors = result.GetValue(flags.TestAuthors),
            Seeds = result.GetValue(flags.Seeds),
            Seed = result.GetValue(flags.Seed),
            SplitSeed = result.GetValue(flags.SplitSeed),
            Candidates = result.GetValue(flags.Candidates),
            SupervisedEpochs = result.GetValue(flags.SupervisedEpochs),
            RlIterations = result.GetValue(flags.RlIterations),
            RlLearningRate = result.GetValue(flags.RlLearningRate),
            ElementText = !result.GetValue(flags.NoElementText),
            SelectedVariants = variants,
            Calls = flags.Calls.Bind(result),
            OutputDirectory = result.GetValue(flags.Out) is string output ? Path.GetFullPath(output) : Path.GetFullPath("rewriting-output"),
            Endpoint = result.GetValue(flags.Endpoint) ?? Environment.GetEnvironmentVariable("PROMPTKIT_ENDPOINT"),
            Model = result.GetValue(flags.Model) ?? Environment.GetEnvironmentVariable("PROMPTKIT_MODEL"),
            ApiKey = result.GetValue(flags.ApiKey) ?? Environment.GetEnvironmentVariable("PROMPTKIT_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
        };
        SampleCommandLine.CheckEndpoint(options.Endpoint, options.Model);

        if (!(options.RlLearningRate is > 0 and < 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--rl-learning-rate {options.RlLearningRate} is out of range; use a value in (0, 1)."));
        }

        if (options.TrainAuthors + options.ValidationAuthors + options.TestAuthors > 200)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--train-authors + --validation-authors + --test-authors is {options.TrainAuthors + options.ValidationAuthors + options.TestAuthors}; the data has 200 authors."));
        }

        return options;
    }

    // A new set of options per command: System.CommandLine links an option to every command it is added to.
    private sealed class Flags
    {
        public readonly Option<int> TrainAuthors = SampleCommandLine.WholeNumber("--train-authors", "Training authors.", 100, 1, 198);
        public readonly Option<int> ValidationAuthors = SampleCommandLine.WholeNumber("--validation-authors", "Validation authors (choose the RL checkpoint), disjoint from training and test.", 30, 1, 198);
        public readonly Option<int> TestAuthors = SampleCommandLine.WholeNumber("--test-authors", "Test authors, never seen before the final table.", 50, 1, 198);
        public readonly Option<int> Seeds = SampleCommandLine.WholeNumber("--seeds", "Training seeds, on the same authors.", 3, 1, 20);
        public readonly Option<int> Seed = SampleCommandLine.WholeNumber("--seed", "First training seed.", 1, 0, int.MaxValue);
        public readonly Option<int> SplitSeed = SampleCommandLine.WholeNumber("--split-seed", "Seed of the author split.", 0, 0, int.MaxValue);
        public readonly Option<int> Candidates = SampleCommandLine.WholeNumber("--candidates", "Randomized rewrites scored per training author for the supervised labels.", 24, 1, 256);
        public readonly Option<int> SupervisedEpochs = SampleCommandLine.WholeNumber("--sl-epochs", "Supervised epochs.", 30, 1, 10_000);
        public readonly Option<int> RlIterations = SampleCommandLine.WholeNumber("--rl-iterations", "PPO iterations of each RL run.", 120, 1, 100_000);
        public readonly Option<double> RlLearningRate = new("--rl-learning-rate") { Description = "PPO actor learning rate.", DefaultValueFactory = _ => 1e-3, HelpName = "RATE" };
        public readonly Option<bool> NoElementText = new("--no-element-text") { Description = "Ablation: the policy sees only the generic element features, not the elements' text encodings." };
        public readonly Option<string?> Variant = new("--variant") { HelpName = "NAME", Description = "Simulator variant: default, other-constants, other-phrasing or all [default: default]." };
        public readonly ModelCallFlags Calls = new();
        public readonly Option<string?> Out = new("--out") { HelpName = "DIR", Description = "Output folder for the policies, ONNX files, CSV, PNG and table [default: ./rewriting-output]." };
        public readonly Option<string?> Endpoint = new("--endpoint") { HelpName = "URL", Description = "OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (env PROMPTKIT_ENDPOINT); temperature 0." };
        public readonly Option<string?> Model = new("--model") { HelpName = "NAME", Description = "Model name at that endpoint (env PROMPTKIT_MODEL)." };
        public readonly Option<string?> ApiKey = new("--api-key") { HelpName = "KEY", Description = "API key (env PROMPTKIT_API_KEY or OPENAI_API_KEY)." };

        public Option[] All => [TrainAuthors, ValidationAuthors, TestAuthors, Seeds, Seed, SplitSeed, Candidates, SupervisedEpochs, RlIterations, RlLearningRate, NoElementText, Variant, Out, Endpoint, Model, ApiKey, .. Calls.All];
    }
}
