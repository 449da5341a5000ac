using System.Globalization;
using ScottPlot;

namespace PromptKit.Samples;

/// <summary>Draws the learning curves the trainers wrote as CSV into one PNG chart (ScottPlot, headless).</summary>
public static class LearningCurveChart
{
    /// <summary>The CSV column plotted: the mean NDCG@10 of the iteration's training steps.</summary>
    public const string RewardColumn = "mean_step_reward";

    /// <summary>Reads one learning-curve CSV: the iteration and the mean step reward of each row.</summary>
    /// <param name="path">A file written by the trainer's <c>LearningCurvePath</c>.</param>
    /// <param name="column">The column to read (default: the mean step reward).</param>
    /// <returns>The iterations and rewards, in file order.</returns>
    /// <exception cref="InvalidDataException">The header lacks a needed column, or a value is not a number.</exception>
    public static (double[] Iterations, double[] Rewards) Read(string path, string column = RewardColumn)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"The learning curve '{path}' is empty.");
        }

        string[] header = lines[0].Split(',');
        int iterationColumn = Array.IndexOf(header, "iteration");
        int rewardColumn = Array.IndexOf(header, column);
        if (iterationColumn < 0 || rewardColumn < 0)
        {
            throw new InvalidDataException($"The learning curve '{path}' has no 'iteration' or '{column}' column.");
        }

        var iterations = new List<double>(lines.Length - 1);
        var rewards = new List<double>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] cells = lines[i].Split(',');
            iterations.Add(Parse(cells[iterationColumn], path, i));
            rewards.Add(Parse(cells[rewardColumn], path, i));
        }

        return ([.. iterations], [.. rewards]);
    }

    /// <summary>Writes the chart: each curve raw and as a moving average, and horizontal reference lines.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="curves">The named learning curves.</param>
    /// <param name="references">Named constant levels (for example the best fixed prompt on training users).</param>
    /// <param name="subtitle">A line under the title (say which model produced the rewards).</param>
    /// <param name="column">The CSV column plotted (default: the mean step reward).</param>
    /// <param name="title">The chart's title (default: the quick start's NDCG@10 curve).</param>
    /// <param name="yLabel">The y axis label.</param>
    public static void Write(string path, IReadOnlyList<(string Name, string CsvPath)> curves, IReadOnlyList<(string Name, double Level)> references, string subtitle, string column = RewardColumn, string title = "Learning curve: mean training NDCG@10 per iteration", string yLabel = "NDCG@10 (training users, sampled prompts)")
    {
        var plot = new Plot();
        plot.Title($"{title}\n{subtitle}");
        plot.XLabel("training iteration");
        plot.YLabel(yLabel);
        for (int c = 0; c < curves.Count; c++)
        {
            (string name, string csv) = curves[c];
            (double[] x, double[] y) = Read(csv, column);
            if (x.Length == 0)
            {
                continue;
            }

            var raw = plot.Add.Scatter(x, y);
            raw.LineWidth = 1;
            raw.MarkerSize = 0;
            Color color = plot.Add.Palette.GetColor(c);
            raw.Color = color.WithOpacity(0.3);
            var smooth = plot.Add.Scatter(x, MovingAverage(y, Math.Max(5, x.Length / 10)));
            smooth.LineWidth = 2.5f;
            smooth.MarkerSize = 0;
            smooth.Color = color;
            smooth.LegendText = $"{name} (moving average)";
        }

        for (int r = 0; r < references.Count; r++)
        {
            (string name, double level) = references[r];
            var line = plot.Add.HorizontalLine(level);
            line.Color = Colors.Black;
            line.LinePattern = r == 0 ? LinePattern.Dashed : LinePattern.Dotted;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name} ({level:F3})");
        }

        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 600);
    }

    /// <summary>The trailing moving average of a series over a window.</summary>
    public static double[] MovingAverage(IReadOnlyList<double> values, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            result[i] = sum / Math.Min(i + 1, window);
        }

        return result;
    }

    private static double Parse(string text, string path, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidDataException($"Line {line + 1} of '{path}': '{text}' is not a number.");
}
