using System.Text.Json;

namespace PromptKit.Tests.Metrics;

/// <summary>tests/Fixtures/metrics: the README states what manifest.json and the files hold (the generator,
/// generate_fixtures.py, recomputes the values and records the manifest).</summary>
public sealed class FixtureManifestTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics");

    [Fact]
    public void Readme_AgreesWithTheManifestAndTheFiles()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        string readme = File.ReadAllText(Path.Combine(Folder, "README.md"));
        JsonElement crosscheck = manifest.RootElement.GetProperty("sklearn_crosscheck");
        int compared = crosscheck.GetProperty("compared_values").GetInt32();
        int withoutSklearn = crosscheck.GetProperty("rows_without_sklearn_value").GetInt32();
        string[] ranking = File.ReadAllLines(Path.Combine(Folder, "ranking_cases.jsonl"));

        readme.Should().Contain($"on the {compared} values where the definitions coincide");
        readme.Should().Contain($"({withoutSklearn} rows, as `manifest.json` says)");
        ranking.Count(line => line.Contains("\"sklearn_ndcg\": null", StringComparison.Ordinal)).Should().Be(withoutSklearn);
        foreach (JsonProperty count in manifest.RootElement.GetProperty("counts").EnumerateObject())
        {
            File.ReadAllLines(Path.Combine(Folder, count.Name)).Length.Should().Be(count.Value.GetInt32(), count.Name);
            readme.Should().Contain($"| `{count.Name}` | {count.Value.GetInt32()} |");
        }

        manifest.RootElement.GetProperty("reference_sources").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("sacrebleu-2.6.0", "rouge_score-0.1.2");
        File.Exists(Path.Combine(Folder, "generate_fixtures.py")).Should().BeTrue();
    }
}
