using System.Text.Json;

namespace PromptKit.Tests.Metrics;

/// <summary>
/// Loads the reference fixtures in <c>tests/Fixtures/metrics</c> (copied from the reference implementations'
/// outputs: sacrebleu 2.6.0, rouge-score 0.1.2, trec_eval-checked ranking metrics; see the README there).
/// </summary>
internal static class MetricFixtures
{
    /// <summary>Relative tolerance the fixtures' README asks for.</summary>
    public const double RelativeTolerance = 1e-9;

    private static readonly Lazy<IReadOnlyList<JsonElement>> TextCasesLazy = new(() => Load("text_cases.jsonl"));
    private static readonly Lazy<IReadOnlyList<JsonElement>> CorpusCasesLazy = new(() => Load("corpus_cases.jsonl"));
    private static readonly Lazy<IReadOnlyList<JsonElement>> RankingCasesLazy = new(() => Load("ranking_cases.jsonl"));
    private static readonly Lazy<IReadOnlyDictionary<string, JsonElement>> TextByIdLazy = new(() =>
        TextCases.ToDictionary(e => e.GetProperty("id").GetString()!, e => e));

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics");

    public static IReadOnlyList<JsonElement> TextCases => TextCasesLazy.Value;

    public static IReadOnlyList<JsonElement> CorpusCases => CorpusCasesLazy.Value;

    public static IReadOnlyList<JsonElement> RankingCases => RankingCasesLazy.Value;

    public static IReadOnlyDictionary<string, JsonElement> TextById => TextByIdLazy.Value;

    /// <summary>Ids of all text cases, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> TextCaseIds()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement e in TextCases)
        {
            data.Add(e.GetProperty("id").GetString()!);
        }

        return data;
    }

    /// <summary>Ids of all corpus cases, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> CorpusCaseIds()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement e in CorpusCases)
        {
            data.Add(e.GetProperty("id").GetString()!);
        }

        return data;
    }

    /// <summary>Ids of all ranking cases, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> RankingCaseIds()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement e in RankingCases)
        {
            data.Add(e.GetProperty("id").GetString()!);
        }

        return data;
    }

    public static JsonElement Corpus(string id) => CorpusCases.Single(e => e.GetProperty("id").GetString() == id);

    public static JsonElement Ranking(string id) => RankingCases.Single(e => e.GetProperty("id").GetString() == id);

    public static string[] References(JsonElement textCase) =>
        textCase.GetProperty("references").EnumerateArray().Select(r => r.GetString()!).ToArray();

    /// <summary>Asserts <paramref name="actual"/> equals <paramref name="expected"/> within the fixtures' relative tolerance.</summary>
    public static void ShouldMatch(this double actual, double expected, string because)
    {
        double tolerance = RelativeTolerance * Math.Max(1.0, Math.Abs(expected));
        actual.Should().BeApproximately(expected, tolerance, because);
    }

    private static List<JsonElement> Load(string fileName)
    {
        string path = Path.Combine(Directory, fileName);
        var list = new List<JsonElement>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            list.Add(doc.RootElement.Clone());
        }

        return list;
    }
}
