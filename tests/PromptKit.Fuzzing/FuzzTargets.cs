using System.Text;

namespace PromptKit.Fuzzing;

/// <summary>
/// The fuzz targets. Each one takes arbitrary bytes, decodes them as UTF-8 (invalid sequences become U+FFFD), feeds them
/// to a PromptKit parser, renderer or tokenizer, and checks invariants that hold for every input. A broken invariant or
/// an unexpected exception escapes as an exception, which afl-fuzz records as a crash. The same code replays the
/// committed corpus in PromptKit.Tests (FuzzCorpusTests), so every crash found and fixed stays fixed.
/// </summary>
public static class FuzzTargets
{
    // Look-alike titles and ids on purpose: prefixes of one another, a trailing article, diacritics, a year, an id that
    // is a number and one with letters and digits, a duplicated title.
    private static readonly RankingCandidate[] Candidates =
    [
        new("1", "Alien (1979)"),
        new("2", "Aliens (1986)"),
        new("3", "Alien vs. Predator (2004)"),
        new("12", "Matrix, The (1999)"),
        new("tt0211915", "Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)"),
        new("40", "Hansel & Gretel"),
        new("41", "Hansel & Gretel"),
        new("7", "7 (Se7en) (1995)"),
    ];

    private static readonly RankingParser Parser = new();
    private static readonly RankingParser RandomOmitted = new(new RankingParserOptions { OmittedOrder = OmittedCandidateOrder.Shuffled, Seed = 5 });

    private static readonly BleuMetric Bleu13a = new(new BleuOptions { EffectiveOrder = true });
    private static readonly BleuMetric Bleu13aLower = new(new BleuOptions { EffectiveOrder = true, Lowercase = true });
    private static readonly BleuMetric BleuIntl = new(new BleuOptions { Tokenizer = BleuTokenizer.International, EffectiveOrder = true });
    private static readonly RougeMetric Rouge = new();
    private static readonly RougeMetric RougeStemmed = new(new RougeOptions { UseStemmer = true });
    private static readonly ChrfMetric Chrf = new();
    private static readonly ChrfMetric ChrfPlusPlus = new(new ChrfOptions { WordOrder = 2 });

    /// <summary>Runs the target named <paramref name="name"/> on <paramref name="data"/>.</summary>
    /// <param name="name">One of <see cref="FuzzTargetNames.All"/>.</param>
    /// <param name="data">The input bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a target.</exception>
    /// <exception cref="FuzzInvariantException">An invariant does not hold for this input (a finding).</exception>
    public static void Run(string name, ReadOnlySpan<byte> data)
    {
        string text = Encoding.UTF8.GetString(data);
        switch (name)
        {
            case "ranking":
                Ranking(text);
                break;
            case "render":
                Render(text);
                break;
            case "bleu13a":
                Bleu(text, Bleu13a);
                Bleu(text, Bleu13aLower);
                break;
            case "bleuintl":
                Bleu(text, BleuIntl);
                break;
            case "rouge":
                RougeTarget(text, Rouge);
                RougeTarget(text, RougeStemmed);
                break;
            case "chrf":
                ChrfTarget(text, Chrf);
                ChrfTarget(text, ChrfPlusPlus);
                break;
            default:
                throw new ArgumentException($"Unknown fuzz target '{name}'. Targets: {string.Join(", ", FuzzTargetNames.All)}.", nameof(name));
        }
    }

    /// <summary>The ranking-answer parser: any text gives a complete permutation of the candidates, the same every time.</summary>
    private static void Ranking(string answer)
    {
        Span<bool> seen = stackalloc bool[Candidates.Length];
        foreach (RankingParser parser in (ReadOnlySpan<RankingParser>)[Parser, RandomOmitted])
        {
            seen.Clear();
            RankingParseResult result = parser.Parse(answer, Candidates);
            Check(result.Ranking.Length == Candidates.Length, "the ranking holds every candidate");
            foreach (int index in result.Ranking)
            {
                Check(index >= 0 && index < Candidates.Length && !seen[index], "the ranking is a permutation of the candidates");
                seen[index] = true;
            }

            Check(result.MatchedCount + result.OmittedCount == Candidates.Length, "matched + omitted = candidates");
            Check(result.DuplicateCount >= 0, "the duplicate count is not negative");
            Check(result.IsParseFailure == (result.MatchedCount == 0), "a parse failure matches nothing");
            RankingParseResult again = parser.Parse(answer, Candidates);
            Check(again.Ranking.SequenceEqual(result.Ranking), "parsing is deterministic");
        }
    }

    /// <summary>
    /// The prompt renderer: the input is cut at U+0000 into a query, history records and retrieved entries (user data
    /// that may forge delimiters, role markers, look-alike brackets or bidi controls). Whatever it holds, the rendered
    /// prompt keeps its structure: outside the user-data blocks it is the same text as with harmless data, each block
    /// opens and closes once, holds no angle bracket and no bidi embedding, override or isolate control, a list block
    /// has one line per item, and decoding the block's character references gives back the data.
    /// </summary>
    private static void Render(string text)
    {
        string[] parts = text.Split('\0');
        string query = parts[0];
        string[] history = parts.Length > 1 ? parts[1].Split('\u001E') : [];
        string[] retrieved = parts.Length > 2 ? parts[2..] : [];
        foreach (PromptFormat format in (ReadOnlySpan<PromptFormat>)[PromptFormat.Default, new PromptFormat { HeadingStyle = PromptHeadingStyle.Markdown, ListStyle = PromptListStyle.Bulleted }])
        {
            Prompt hostile = InjectionPrompt.Build(query, history, retrieved);
            InjectionPrompt.CheckStructure(hostile, format);
        }
    }

    private static void Bleu(string text, BleuMetric metric)
    {
        (string hypothesis, string reference) = Pair(text);
        BleuScore score = metric.Score(hypothesis, [reference]);
        Check(score.Score is >= 0.0 and <= 100.0 + 1e-9, "BLEU is within [0, 100]");
        BleuScore self = metric.Score(hypothesis, [hypothesis]);
        Check(self.SystemLength == self.ReferenceLength, "a text is as long as itself");
        Check(self.SystemLength == 0 ? self.Score == 0.0 : Math.Abs(self.Score - 100.0) < 1e-9, "BLEU of a text against itself is 100 (0 without tokens)");
        Check(metric.ScoreValue(hypothesis.AsSpan(), reference.AsSpan()) == score.Score, "the span overload agrees");
    }

    private static void RougeTarget(string text, RougeMetric metric)
    {
        (string prediction, string reference) = Pair(text);
        RougeResult result = metric.Score(reference, prediction);
        RougeResult swapped = metric.Score(prediction, reference);
        bool severalLines = prediction.Contains('\n', StringComparison.Ordinal) || reference.Contains('\n', StringComparison.Ordinal);
        foreach (RougeType type in metric.Types)
        {
            RougeScore score = result[type];
            Check(score.FMeasure is >= 0.0 and <= 1.0 && score.Precision is >= 0.0 and <= 1.0 && score.Recall is >= 0.0 and <= 1.0, "ROUGE is within [0, 1]");
            if (type == RougeType.RougeLsum && severalLines)
            {
                // Summary-level LCS is the union of LCS hits per reference line: not symmetric with several lines
                // (rouge-score computes it so; this invariant was wrong here, found by the first afl run).
                continue;
            }

            RougeScore other = swapped[type];
            Check(Math.Abs(score.FMeasure - other.FMeasure) < 1e-12 && score.Precision == other.Recall && score.Recall == other.Precision,
                "ROUGE F is symmetric and swapping the texts swaps precision and recall");
        }

        RougeResult self = metric.Score(prediction, prediction);
        double f1 = self[RougeType.Rouge1].FMeasure;
        Check(f1 == 0.0 || Math.Abs(f1 - 1.0) < 1e-12, "ROUGE-1 of a text against itself is 1 (0 without tokens)");
        Check(Math.Abs(self[RougeType.RougeL].FMeasure - f1) < 1e-12, "ROUGE-L of a text against itself equals ROUGE-1");
    }

    private static void ChrfTarget(string text, ChrfMetric metric)
    {
        (string hypothesis, string reference) = Pair(text);
        double score = metric.ScoreValue(hypothesis, [reference]);
        Check(score is >= 0.0 and <= 100.0 + 1e-9, "chrF is within [0, 100]");
        double self = metric.ScoreValue(hypothesis, [hypothesis]);
        Check(self == 0.0 || Math.Abs(self - 100.0) < 1e-9, "chrF of a text against itself is 100 (0 without characters)");
        Check(metric.ScoreValue(hypothesis.AsSpan(), reference.AsSpan()) == score, "the span overload agrees");
    }

    private static (string First, string Second) Pair(string text)
    {
        int cut = text.IndexOf('\0', StringComparison.Ordinal);
        return cut < 0 ? (text, text.Length > 1 ? text[(text.Length / 2)..] : text) : (text[..cut], text[(cut + 1)..]);
    }

    private static void Check(bool condition, string invariant) => FuzzInvariantException.ThrowIfFalse(condition, invariant);
}
