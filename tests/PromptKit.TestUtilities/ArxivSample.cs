using System.Globalization;
using System.Text.Json;

namespace PromptKit.TestUtilities;

/// <summary>A small fixture of real arXiv abstracts (two authors), copied from the bundled data set; see <c>tests/Fixtures/generation/README.md</c>.</summary>
public static class ArxivSample
{
    /// <summary>The user id of Lluis Puig (15 abstracts).</summary>
    public const string PuigId = "a0d8daed7a268";

    /// <summary>The user id of Alexander V. Osipov (13 abstracts).</summary>
    public const string OsipovId = "a0cabd7c2d8d4";

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<UserDocument>>> Loaded = new(Load);

    /// <summary>Gets each user's documents, oldest first (the file's order).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<UserDocument>> ByUser => Loaded.Value;

    /// <summary>Gets every document of the fixture, in file order.</summary>
    public static IReadOnlyList<UserDocument> All => [.. ByUser[PuigId], .. ByUser[OsipovId]];

    private static Dictionary<string, IReadOnlyList<UserDocument>> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "generation", "arxiv-sample.jsonl");
        var byUser = new Dictionary<string, List<UserDocument>>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            string user = root.GetProperty("user_id").GetString()!;
            var document = new UserDocument(
                root.GetProperty("doc_id").GetString()!,
                root.GetProperty("title").GetString()!,
                root.GetProperty("text").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            if (!byUser.TryGetValue(user, out List<UserDocument>? list))
            {
                byUser[user] = list = [];
            }

            list.Add(document);
        }

        return byUser.ToDictionary(p => p.Key, p => (IReadOnlyList<UserDocument>)p.Value, StringComparer.Ordinal);
    }
}
