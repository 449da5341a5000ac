using System.Globalization;
using System.Text;
using Spectre.Console;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>Prints and writes the results: per variant and method, mean and spread (sample standard deviation, and
/// min–max) over training seeds on the test authors.</summary>
internal static class ResultsTable
{
    public static string Write(IReadOnlyList<MethodRow> rows, string simulated, PromptRewritingOptions options)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var markdown = new StringBuilder();
        markdown.AppendLine(invariant, $"Test authors: {options.TestAuthors}; seeds {options.Seed}..{options.Seed + options.Seeds - 1}; split seed {options.SplitSeed}; {options.RlIterations} PPO iterations; {options.Candidates} SL candidates per author.{simulated}");
        foreach (IGrouping<string, MethodRow> variant in rows.GroupBy(r => r.Variant))
        {
            var table = new Table().Title($"Variant {variant.Key}{simulated}: test authors, mean ± std over seeds");
            foreach (string column in new[] { "Method", "Reward", "BLEU", "ROUGE-1", "ROUGE-2", "ROUGE-L", "Failures", "Calls", "Wall s" })
            {
                table.AddColumn(column);
            }

            markdown.AppendLine().AppendLine(invariant, $"### Variant {variant.Key}{simulated}").AppendLine();
            markdown.AppendLine("| Method | Reward (BLEU+R1+R2+RL, 0–4) | BLEU | ROUGE-1 | ROUGE-2 | ROUGE-L | failed calls | model calls per run | wall s per run |");
            markdown.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (IGrouping<string, MethodRow> method in variant.GroupBy(r => r.Method))
            {
                MethodRow[] runs = [.. method];
                string[] cells =
                [
                    method.Key,
                    Format(runs.Select(r => r.Reward), "F4"),
                    Format(runs.Select(r => r.Bleu), "F2"),
                    Format(runs.Select(r => r.Rouge1), "F2"),
                    Format(runs.Select(r => r.Rouge2), "F2"),
                    Format(runs.Select(r => r.RougeL), "F2"),
                    string.Create(invariant, $"{runs.Sum(r => r.Failures)} of {runs.Sum(r => r.Examples)}"),
                    string.Create(invariant, $"{runs.Average(r => r.Calls):N0}"),
                    string.Create(invariant, $"{runs.Average(r => r.Seconds):F1}"),
                ];
                table.AddRow(cells.Select(Markup.Escape).ToArray());
                markdown.AppendLine("| " + string.Join(" | ", cells) + " |");
            }

            AnsiConsole.Write(table);
        }

        return markdown.ToString();
    }

    private static string Format(IEnumerable<double> values, string format)
    {
        double[] v = [.. values];
        double mean = v.Average();
        if (v.Length == 1)
        {
            return mean.ToString(format, CultureInfo.InvariantCulture);
        }

        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)} [{v.Min().ToString(format, CultureInfo.InvariantCulture)}, {v.Max().ToString(format, CultureInfo.InvariantCulture)}]");
    }
}
