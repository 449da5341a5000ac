using System.Globalization;
using System.Text;

namespace PromptKit.Training;

/// <summary>Writes <see cref="TrainingProgress"/> rows to a CSV learning curve (invariant culture, one header row).</summary>
public static class LearningCurveCsv
{
    /// <summary>The header row.</summary>
    public const string Header = "iteration,total_steps,total_episodes,episodes,mean_episode_return,mean_episode_length,mean_step_reward,policy_loss,value_loss,entropy,approx_kl,clip_fraction,reference_kl,kl_coefficient,explained_variance,learning_rate,update_epochs,faulted_steps,dropped_steps,elapsed_seconds,validation_score";

    /// <summary>Formats one row (without a line break).</summary>
    /// <param name="progress">The iteration's progress.</param>
    /// <returns>The CSV row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="progress"/> is <see langword="null"/>.</exception>
    public static string FormatRow(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var b = new StringBuilder(256);
        CultureInfo c = CultureInfo.InvariantCulture;
        b.Append(c, $"{progress.Iteration},{progress.TotalSteps},{progress.TotalEpisodes},{progress.Episodes},");
        b.Append(c, $"{Optional(progress.MeanEpisodeReturn)},{Optional(progress.MeanEpisodeLength)},{progress.MeanStepReward:R},");
        b.Append(c, $"{progress.PolicyLoss:R},{progress.ValueLoss:R},{progress.Entropy:R},{progress.ApproximateKl:R},{progress.ClipFraction:R},");
        b.Append(c, $"{Optional(progress.ReferenceKl)},{progress.KlCoefficient:R},{progress.ExplainedVariance:R},{progress.LearningRate:R},");
        b.Append(c, $"{progress.UpdateEpochs},{progress.FaultedSteps},{progress.DroppedSteps},{progress.Elapsed.TotalSeconds:F3},{Optional(progress.ValidationScore)}");
        return b.ToString();
    }

    /// <summary>Appends a row to a CSV file, writing the header first when the file is new or empty.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="progress">The iteration's progress.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static void Append(string path, TrainingProgress progress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(progress);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        bool writeHeader = !File.Exists(path) || new FileInfo(path).Length == 0;
        using var writer = new StreamWriter(path, append: true, new UTF8Encoding(false));
        if (writeHeader)
        {
            writer.WriteLine(Header);
        }

        writer.WriteLine(FormatRow(progress));
    }

    private static string Optional(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
