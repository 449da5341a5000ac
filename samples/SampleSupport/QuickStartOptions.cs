using System.CommandLine;

namespace PromptKit.Samples;

/// <summary>The quick start's command-line flags.</summary>
public sealed class QuickStartOptions
{
    public int TrainUsers { get; private set; } = 200;

    public int TestUsers { get; private set; } = 200;

    public int ValidationUsers { get; private set; } = 100;

    public int ValidateEvery { get; private set; } = 25;

    public int Iterations { get; private set; } = 150;

    public int EpisodeLength { get; private set; } = 15;

    public int FixedPrompts { get; private set; } = 24;

    public int Seed { get; private set; } = 42;

    public int? SplitSeedOverride { get; private set; }

    public int SplitSeed => SplitSeedOverride ?? Seed;

    public bool Refine { get; private set; } = true;

    /// <summary>Gets the simulator variant (default, constants, traits or vocabulary); ignored with <c>--endpoint</c>.</summary>
    public string Simulator { get; private set; } = "default";

    public bool ResampleNegatives { get; private set; } = true;

    public string OutputDirectory { get; private set; } = Path.GetFullPath("rpp-output");

    public string? Endpoint { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_ENDPOINT");

    public string? Model { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_MODEL");

    public string? ApiKey { get; private set; } =
        Environment.GetEnvironmentVariable("PROMPTKIT_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");

    public bool UsesRealModel => Endpoint is not null;

    /// <summary>Gets the preset the sizes came from: <c>full</c> (the defaults) or <c>budget</c> (see <see cref="BudgetPreset"/>).</summary>
    public string Preset { get; private set; } = "full";

    /// <summary>Gets the shared model-call settings: concurrency, sampling options, budget, consent and cache.</summary>
    public ModelCallSettings Calls { get; private set; } = new();

    /// <summary>The sizes of <c>--preset budget</c>, a run a user can afford against a real model (docs/costs.md
    /// measures its calls: at most 20,000 for RPP and RPP+ with every baseline); a flag given explicitly still wins.</summary>
    public static readonly IReadOnlyDictionary<string, int> BudgetPreset = new Dictionary<string, int>
    {
        ["--train-users"] = 60,
        ["--validation-users"] = 30,
        ["--test-users"] = 100,
        ["--iterations"] = 15,
        ["--episode"] = 3,
        ["--fixed"] = 8,
        ["--validate-every"] = 5,
        ["--coordinate-starts"] = 1,
    };

    /// <summary>Gets the training episodes (users) each RPP iteration runs at once: its rollout's calls in flight.</summary>
    public int Environments { get; private set; } = 32;

    /// <summary>Gets from how many of the best sampled fixed prompts the coordinate search starts.</summary>
    public int CoordinateStarts { get; private set; } = 3;

    /// <summary>Gets the most RPP+ refinement calls, or <see langword="null"/> for no cap.</summary>
    public int? RefineCalls { get; private set; }

    /// <summary>Estimates the frozen-model calls of a run before any is made, cache hits not subtracted: the random
    /// prompt, the sampled fixed prompts and the coordinate search (two passes from each start) on training users, the
    /// fixed prompts' answers on test users, and for RPP (and RPP+) the training rollouts, validations and test
    /// personalization, plus RPP+'s refinement calls (up to <see cref="RefineCalls"/>; without a cap, one per chosen
    /// sentence and step).</summary>
    /// <param name="coordinateNeighbours">The prompts one coordinate-search pass tries.</param>
    /// <param name="environments">The training episodes per iteration.</param>
    /// <returns>The estimate.</returns>
    public long EstimateCalls(int coordinateNeighbours, int environments)
    {
        long baselines = TestUsers
            + ((long)FixedPrompts * TrainUsers)
            + ((long)CoordinateStarts * 2 * coordinateNeighbours * TrainUsers)
            + ((long)(FixedPrompts + 1) * TestUsers);
        long validations = ValidationUsers == 0 ? 0 : ((Iterations / ValidateEvery) + (Iterations % ValidateEvery == 0 ? 0 : 1)) * (long)ValidationUsers * EpisodeLength;
        long method = ((long)Iterations * environments * EpisodeLength) + validations + ((long)TestUsers * EpisodeLength);
        if (!Refine)
        {
            return baselines + method;
        }

        long refinements = RefineCalls ?? (4L * (((long)Iterations * environments * EpisodeLength) + validations + ((long)TestUsers * EpisodeLength)));
        return baselines + (2 * method) + refinements;
    }

    /// <summary>Creates the command with every flag, its range, default and help text.</summary>
    /// <returns>A new command.</returns>
    public static RootCommand CreateCommand() => CreateCommand(new Flags());

    private static RootCommand CreateRoot() => new("""
            PromptKit quick start: Reinforced Prompt Personalization (RPP / RPP+) on MovieLens ml-latest-small.
            Without --endpoint the frozen LLM is a SIMULATED recommender (samples/RecommendationSimulation/README.md
            documents its rules) and every result is labelled SIMULATED. Ctrl+C stops cleanly; the checkpoint keeps
            the last finished iteration and a re-run resumes from it.
            """);

    private static RootCommand CreateCommand(Flags flags)
    {
        RootCommand command = CreateRoot();
        foreach (Option option in flags.All)
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>Parses the flags.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">A flag is unknown or has a bad value, or <c>--endpoint</c> comes without a model.</exception>
    public static QuickStartOptions Parse(string[] args)
    {
        var flags = new Flags();
        return SampleCommandLine.Parse(CreateCommand(flags), args, result => Bind(result, flags));
    }

    /// <summary>Parses the flags as the sample's <c>Main</c> does: help prints and exits 0, a bad flag prints one line and exits 2.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="options">The options when the sample should run.</param>
    /// <returns><see langword="null"/> when the sample should run; otherwise the exit code.</returns>
    public static int? TryParse(string[] args, out QuickStartOptions? options)
    {
        var flags = new Flags();
        return SampleCommandLine.TryParse(CreateCommand(flags), args, result => Bind(result, flags), out options);
    }

    private static QuickStartOptions Bind(ParseResult result, Flags flags)
    {
        var options = new QuickStartOptions
        {
            TrainUsers = result.GetValue(flags.TrainUsers),
            TestUsers = result.GetValue(flags.TestUsers),
            ValidationUsers = result.GetValue(flags.ValidationUsers),
            ValidateEvery = result.GetValue(flags.ValidateEvery),
            Iterations = result.GetValue(flags.Iterations),
            EpisodeLength = result.GetValue(flags.Episode),
            FixedPrompts = result.GetValue(flags.Fixed),
            Seed = result.GetValue(flags.Seed),
            SplitSeedOverride = result.GetValue(flags.SplitSeed),
            Refine = !result.GetValue(flags.NoRefine),
            Simulator = result.GetValue(flags.Simulator) ?? "default",
            ResampleNegatives = !result.GetValue(flags.FixedNegatives),
            Calls = flags.Calls.Bind(result),
            Preset = result.GetValue(flags.Preset) ?? "full",
            CoordinateStarts = result.GetValue(flags.CoordinateStarts),
            Environments = result.GetValue(flags.Environments),
            RefineCalls = result.GetValue(flags.RefineCalls),
        };
        if (options.Preset == "budget")
        {
            // The preset changes the defaults only: a flag given on the command line keeps its value.
            options.TrainUsers = PresetValue(flags.TrainUsers, options.TrainUsers);
            options.ValidationUsers = PresetValue(flags.ValidationUsers, options.ValidationUsers);
            options.TestUsers = PresetValue(flags.TestUsers, options.TestUsers);
            options.Iterations = PresetValue(flags.Iterations, options.Iterations);
            options.EpisodeLength = PresetValue(flags.Episode, options.EpisodeLength);
            options.FixedPrompts = PresetValue(flags.Fixed, options.FixedPrompts);
            options.ValidateEvery = PresetValue(flags.ValidateEvery, options.ValidateEvery);
            options.CoordinateStarts = PresetValue(flags.CoordinateStarts, options.CoordinateStarts);
        }

        int PresetValue(Option<int> option, int value) =>
            result.GetResult(option) is { Implicit: false } ? value : BudgetPreset[option.Name];
        if (result.GetValue(flags.Out) is string output)
        {
            options.OutputDirectory = Path.GetFullPath(output);
        }

        options.Endpoint = result.GetValue(flags.Endpoint) ?? options.Endpoint;
        options.Model = result.GetValue(flags.Model) ?? options.Model;
        options.ApiKey = result.GetValue(flags.ApiKey) ?? options.ApiKey;
        SampleCommandLine.CheckEndpoint(options.Endpoint, options.Model);

        return options;
    }

    // A new set of options per command: System.CommandLine links an option to every command it is added to.
    private sealed class Flags
    {
        public readonly Option<int> TrainUsers = SampleCommandLine.WholeNumber("--train-users", "Training users.", 200, 1, 600);
        public readonly Option<int> ValidationUsers = SampleCommandLine.WholeNumber("--validation-users", "Validation users, disjoint from the training and test users; every --validate-every iterations the trained agents are scored on them and the best weights are kept (0: keep the last weights).", 100, 0, 600);
        public readonly Option<int> ValidateEvery = SampleCommandLine.WholeNumber("--validate-every", "Iterations between validation scores.", 25, 1, 100_000);
        public readonly Option<int> TestUsers = SampleCommandLine.WholeNumber("--test-users", "Test users, disjoint from the training and validation users.", 200, 1, 600);
        public readonly Option<int> Iterations = SampleCommandLine.WholeNumber("--iterations", "Training iterations; each runs 32 users' episodes.", 150, 1, 100_000);
        public readonly Option<int> Episode = SampleCommandLine.WholeNumber("--episode", "Iterations (prompt refinements) per episode.", 15, 1, 100);
        public readonly Option<int> Fixed = SampleCommandLine.WholeNumber("--fixed", "Sampled fixed task-wise prompt combinations to compare; the best is then improved by coordinate search on the training users.", 24, 1, 1_000);
        public readonly Option<int> Seed = SampleCommandLine.WholeNumber("--seed", "Seed of the split, the networks and every random choice.", 42, 0, int.MaxValue);
        public readonly Option<int?> SplitSeed = SampleCommandLine.OptionalWholeNumber("--split-seed", "Seed of the user split and of the simulator only (default: --seed), so that runs with different --seed train on the same users and are scored on the same test users.", 0, int.MaxValue);
        public readonly Option<string?> Simulator = CreateSimulator();
        public readonly Option<bool> NoRefine = new("--no-refine") { Description = "Skip RPP+ (LLM refinement of the chosen sentences)." };
        public readonly Option<bool> FixedNegatives = new("--fixed-negatives") { Description = "Train on each training user's one fixed candidate set (default: fresh negatives every training episode; validation and test users always keep their candidates)." };
        public readonly Option<string?> Out = new("--out") { HelpName = "DIR", Description = "Output folder for the policy, ONNX files, CSV and PNG [default: ./rpp-output]." };
        public readonly Option<string?> Endpoint = new("--endpoint") { HelpName = "URL", Description = "OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (env PROMPTKIT_ENDPOINT)." };
        public readonly Option<string?> Model = new("--model") { HelpName = "NAME", Description = "Model name at that endpoint (env PROMPTKIT_MODEL)." };
        public readonly Option<string?> ApiKey = new("--api-key") { HelpName = "KEY", Description = "API key (env PROMPTKIT_API_KEY or OPENAI_API_KEY; default \"unused\")." };

        public readonly Option<string?> Preset = CreatePreset();
        public readonly Option<int> CoordinateStarts = SampleCommandLine.WholeNumber("--coordinate-starts", "The coordinate search for the best fixed prompt starts from this many of the best sampled prompts.", 3, 1, 1_000);
        public readonly Option<int?> RefineCalls = SampleCommandLine.OptionalWholeNumber("--refine-calls", "Most RPP+ refinement calls per RPP+ run; later sentences keep their text, so which sentences are refined then depends on the order calls finish in (the RPP+ row is not reproducible) [default: no cap].", 0, int.MaxValue);
        public readonly Option<int> Environments = SampleCommandLine.WholeNumber("--environments", "Training episodes (users) per RPP iteration, run at once: with --concurrency above it, a rollout cannot keep more calls in flight than this.", 32, 1, 4_096);
        public readonly ModelCallFlags Calls = new();

        public Option[] All => [Preset, TrainUsers, ValidationUsers, ValidateEvery, TestUsers, Iterations, Episode, Environments, Fixed, CoordinateStarts, RefineCalls, Seed, SplitSeed, Simulator, NoRefine, FixedNegatives, Out, Endpoint, Model, ApiKey, .. Calls.All];

        private static Option<string?> CreatePreset()
        {
            var option = new Option<string?>("--preset")
            {
                HelpName = "NAME",
                Description = "Sizes: full (the defaults below) or budget (60 training, 30 validation and 100 test users, 15 iterations of 3-step episodes validated every 5, 8 sampled fixed prompts, one coordinate-search start: 16,000-17,100 frozen-model calls for RPP, RPP+ and every baseline as measured, docs/costs.md). Flags given explicitly win.",
            };
            option.AcceptOnlyFromAmong("full", "budget");
            return option;
        }

        private static Option<string?> CreateSimulator()
        {
            var option = new Option<string?>("--simulator")
            {
                HelpName = "VARIANT",
                Description = "The simulated recommender's rules: default, or a variant fixed before any test user was looked at: constants (other rule constants), traits (other user-trait definitions), vocabulary (other keyword families). Ignored with --endpoint.",
            };
            option.AcceptOnlyFromAmong("default", "constants", "traits", "vocabulary");
            return option;
        }
    }
}
