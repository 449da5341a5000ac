using System.Globalization;

namespace PromptKit.Samples;

/// <summary>The quick start's command-line flags.</summary>
public sealed class QuickStartOptions
{
    public const string Help = """
        PromptKit quick start: Reinforced Prompt Personalization (RPP / RPP+) on MovieLens ml-latest-small.

        Usage: dotnet run --project samples/QuickStart -c Release [-- options]

          --train-users N    training users (default 200)
          --validation-users N  validation users, disjoint from both (default 100); every --validate-every
                             iterations the trained agents are scored on them and the best weights are kept
          --validate-every N iterations between validation scores (default 25)
          --test-users N     test users, disjoint from the training and validation users (default 200)
          --iterations N     training iterations; each runs 32 users' 15-step episodes (default 150)
          --episode N        iterations (prompt refinements) per episode (default 15)
          --fixed N          sampled fixed task-wise prompt combinations to compare (default 24); the best
                             fixed prompt is then improved by coordinate search on the training users
          --seed N           seed of the split, the networks and every random choice (default 42)
          --split-seed N     seed of the user split and of the simulator only (default: --seed), so that
                             runs with different --seed train on the same users and are scored on the same
                             test users
          --no-refine        skip RPP+ (LLM refinement of the chosen sentences)
          --fixed-negatives  train on each training user's one fixed candidate set (default: fresh negatives
                             every training episode; validation and test users always keep their candidates)
          --out DIR          output folder for the policy, ONNX files, CSV and PNG (default ./rpp-output)
          --endpoint URL     OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (env PROMPTKIT_ENDPOINT)
          --model NAME       model name at that endpoint (env PROMPTKIT_MODEL)
          --api-key KEY      API key (env PROMPTKIT_API_KEY or OPENAI_API_KEY; default "unused")
          --help             show this text

        Without --endpoint the frozen LLM is a SIMULATED recommender (samples/RecommendationSimulation/README.md
        documents its rules) and every result is labelled SIMULATED. Ctrl+C stops cleanly; the checkpoint keeps
        the last finished iteration and a re-run resumes from it.
        """;

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

    public bool ResampleNegatives { get; private set; } = true;

    public string OutputDirectory { get; private set; } = Path.GetFullPath("rpp-output");

    public string? Endpoint { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_ENDPOINT");

    public string? Model { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_MODEL");

    public string? ApiKey { get; private set; } =
        Environment.GetEnvironmentVariable("PROMPTKIT_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");

    public bool ShowHelp { get; private set; }

    public bool UsesRealModel => Endpoint is not null;

    public static QuickStartOptions Parse(string[] args)
    {
        var options = new QuickStartOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            int Int(int min, int max)
            {
                string text = Next();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
                    ? value
                    : throw new ArgumentException($"{flag} must be an integer from {min} to {max}; got '{text}'.");
            }

            switch (flag)
            {
                case "--train-users": options.TrainUsers = Int(1, 600); break;
                case "--test-users": options.TestUsers = Int(1, 600); break;
                case "--validation-users": options.ValidationUsers = Int(0, 600); break;
                case "--validate-every": options.ValidateEvery = Int(1, 100_000); break;
                case "--iterations": options.Iterations = Int(1, 100_000); break;
                case "--episode": options.EpisodeLength = Int(1, 100); break;
                case "--fixed": options.FixedPrompts = Int(1, 1_000); break;
                case "--seed": options.Seed = Int(0, int.MaxValue); break;
                case "--split-seed": options.SplitSeedOverride = Int(0, int.MaxValue); break;
                case "--no-refine": options.Refine = false; break;
                case "--fixed-negatives": options.ResampleNegatives = false; break;
                case "--out": options.OutputDirectory = Path.GetFullPath(Next()); break;
                case "--endpoint": options.Endpoint = Next(); break;
                case "--model": options.Model = Next(); break;
                case "--api-key": options.ApiKey = Next(); break;
                case "--help" or "-h": options.ShowHelp = true; break;
                default: throw new ArgumentException($"Unknown option '{flag}'. Run with --help.");
            }
        }

        if (options.Endpoint is not null && string.IsNullOrWhiteSpace(options.Model))
        {
            throw new ArgumentException("--endpoint needs --model (or PROMPTKIT_MODEL).");
        }

        return options;
    }
}
