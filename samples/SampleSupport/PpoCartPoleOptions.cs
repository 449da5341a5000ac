using System.CommandLine;

namespace PromptKit.Samples;

/// <summary>The PpoCartPole sample's command-line flags (System.CommandLine).</summary>
public sealed class PpoCartPoleOptions
{
    /// <summary>The training iterations that solve seeds 1 to 3 (samples/PpoCartPole/README.md).</summary>
    public const int DefaultIterations = 390;

    /// <summary>Gets the training iterations.</summary>
    public int Iterations { get; private init; } = DefaultIterations;

    /// <summary>Gets the seed.</summary>
    public long Seed { get; private init; } = 1;

    /// <summary>Gets the output folder.</summary>
    public string OutputFolder { get; private init; } = Path.Combine("artifacts", "ppo-cartpole");

    /// <summary>Creates the command with every flag, its default and help text.</summary>
    /// <returns>A new command.</returns>
    public static RootCommand CreateCommand() => new("""
        Trains PPO on CartPole-v1, then evaluates the greedy policy on 100 fresh episodes.
        Exit code 0 when the mean evaluation return is at least 475, 1 when it is not, 2 for a bad flag.
        Ctrl+C stops after the current step; the last finished iteration is checkpointed, and re-running resumes.
        """)
    {
        // New option objects per command: System.CommandLine links an option to every command it is added to.
        SampleCommandLine.WholeNumber("--iterations", "Training iterations (rollout + update).", DefaultIterations, 1, 1_000_000),
        new Option<long>("--seed") { Description = "Seed of the network, the trainer and the environments.", DefaultValueFactory = _ => 1, HelpName = "N" },
        new Option<string>("--out")
        {
            Description = "Output folder for checkpoint.bin and learning-curve.csv; a checkpoint there is resumed (delete the folder to start over).",
            DefaultValueFactory = _ => Path.Combine("artifacts", "ppo-cartpole"),
            HelpName = "DIR",
        },
    };

    /// <summary>Parses the flags.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">A flag is unknown or has a bad value.</exception>
    public static PpoCartPoleOptions Parse(string[] args) => SampleCommandLine.Parse(CreateCommand(), args, Bind);

    /// <summary>Parses the flags as the sample's <c>Main</c> does: help prints and exits 0, a bad flag prints one line and exits 2.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="options">The options when the sample should run.</param>
    /// <returns><see langword="null"/> when the sample should run; otherwise the exit code.</returns>
    public static int? TryParse(string[] args, out PpoCartPoleOptions? options) => SampleCommandLine.TryParse(CreateCommand(), args, Bind, out options);

    private static PpoCartPoleOptions Bind(ParseResult result)
    {
        string output = result.GetValue<string>("--out") ?? string.Empty;
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new ArgumentException("--out must name a folder.");
        }

        return new PpoCartPoleOptions { Iterations = result.GetValue<int>("--iterations"), Seed = result.GetValue<long>("--seed"), OutputFolder = output };
    }
}
