using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PromptKit.Samples.PpoCartPole;

/// <summary>The sample's command-line flags.</summary>
internal sealed class CommandLine
{
    public const string Usage = """
        Usage: dotnet run --project samples/PpoCartPole -c Release -- [options]

        Trains PPO on CartPole-v1, then evaluates the greedy policy on 100 fresh episodes.
        Exit code 0 when the mean evaluation return is at least 475, 1 when it is not.

        Options:
          --iterations <n>   Training iterations (rollout + update). Default: 390.
          --seed <n>         Seed of the network, the trainer and the environments. Default: 1.
          --out <folder>     Output folder for checkpoint.bin and learning-curve.csv. Default: artifacts/ppo-cartpole.
                             A checkpoint there is resumed; delete the folder to start over.
          --help             Show this text.

        Ctrl+C stops after the current step; the last finished iteration is checkpointed, and re-running resumes.
        """;

    public int Iterations { get; private set; } = CartPoleTraining.DefaultIterations;

    public long Seed { get; private set; } = 1;

    public string OutputFolder { get; private set; } = Path.Combine("artifacts", "ppo-cartpole");

    public bool Help { get; private set; }

    public static bool TryParse(string[] args, [NotNullWhen(true)] out CommandLine? options, [NotNullWhen(false)] out string? error)
    {
        var result = new CommandLine();
        options = null;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag is "--help" or "-h" or "-?")
            {
                result.Help = true;
                continue;
            }

            if (flag is not ("--iterations" or "--seed" or "--out"))
            {
                error = $"Unknown option '{flag}'.";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                error = $"Option '{flag}' needs a value.";
                return false;
            }

            string value = args[++i];
            switch (flag)
            {
                case "--iterations" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) && iterations > 0:
                    result.Iterations = iterations;
                    break;
                case "--seed" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seed):
                    result.Seed = seed;
                    break;
                case "--out" when !string.IsNullOrWhiteSpace(value):
                    result.OutputFolder = value;
                    break;
                default:
                    error = $"Option '{flag}' has an invalid value '{value}'.";
                    return false;
            }
        }

        options = result;
        return true;
    }
}
