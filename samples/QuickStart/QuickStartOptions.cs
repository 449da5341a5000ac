using System.Globalization;

namespace PromptKit.Samples.QuickStart;

/// <summary>Command-line options of the quick start. Flags win over environment variables.</summary>
internal sealed class QuickStartOptions
{
    public int Users { get; private set; } = 40;

    public int Seed { get; private set; } = 7;

    public int Concurrency { get; private set; } = 4;

    public double FaultRate { get; private set; } = 0.1;

    public string? Endpoint { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_ENDPOINT");

    public string? Model { get; private set; } = Environment.GetEnvironmentVariable("PROMPTKIT_MODEL");

    public string? ApiKey { get; private set; } =
        Environment.GetEnvironmentVariable("PROMPTKIT_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");

    public string DataPath { get; private set; } = Path.Combine(AppContext.BaseDirectory, "data", "arxiv-single-author-abstracts", "docs.jsonl");

    public bool ShowHelp { get; private set; }

    public bool UsesRealModel => Endpoint is not null;

    public const string Help = """
        PromptKit quick start: personalized prompts for a frozen LLM, scored with BLEU / ROUGE / chrF.

        Usage: dotnet run --project samples/QuickStart [-- options]

          --users N          authors to evaluate (default 40, at most 200)
          --seed N           seed that picks the authors (default 7)
          --concurrency N    model calls in flight at once (default 4)
          --fault-rate X     simulated LLM only: fraction of requests that fail once with a transient fault (default 0.1)
          --endpoint URL     OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 (env PROMPTKIT_ENDPOINT)
          --model NAME       model name at that endpoint (env PROMPTKIT_MODEL)
          --api-key KEY      API key (env PROMPTKIT_API_KEY or OPENAI_API_KEY; default "unused")
          --data PATH        docs.jsonl of the arXiv single-author data set (default: the bundled copy)
          --help             show this text

        Without --endpoint the run uses a SIMULATED LLM (documented in samples/QuickStart/README.md) and says so.
        """;

    public static QuickStartOptions Parse(string[] args)
    {
        var options = new QuickStartOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            switch (flag)
            {
                case "--help" or "-h" or "-?":
                    options.ShowHelp = true;
                    break;
                case "--users":
                    options.Users = Int(args, ref i, 1, 200);
                    break;
                case "--seed":
                    options.Seed = Int(args, ref i, 0, int.MaxValue);
                    break;
                case "--concurrency":
                    options.Concurrency = Int(args, ref i, 1, 256);
                    break;
                case "--fault-rate":
                    options.FaultRate = Double(args, ref i, 0, 1);
                    break;
                case "--endpoint":
                    options.Endpoint = Value(args, ref i);
                    break;
                case "--model":
                    options.Model = Value(args, ref i);
                    break;
                case "--api-key":
                    options.ApiKey = Value(args, ref i);
                    break;
                case "--data":
                    options.DataPath = Value(args, ref i);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{flag}'. Run with --help to list the options.");
            }
        }

        if (options.Endpoint is not null && string.IsNullOrWhiteSpace(options.Model))
        {
            throw new ArgumentException("--endpoint needs --model (or PROMPTKIT_MODEL): the name of the model to call.");
        }

        if (options.Endpoint is not null && !Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"--endpoint '{options.Endpoint}' is not an absolute URL such as http://localhost:8000/v1.");
        }

        return options;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        }

        return args[++i];
    }

    private static int Int(string[] args, ref int i, int min, int max)
    {
        string flag = args[i];
        string text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"Option '{flag}' needs a whole number from {min} to {max}; got '{text}'.");
    }

    private static double Double(string[] args, ref int i, double min, double max)
    {
        string flag = args[i];
        string text = Value(args, ref i);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"Option '{flag}' needs a number from {min} to {max}; got '{text}'.");
    }
}
