using System.Globalization;
using System.Text.Json;

namespace PromptKit.Benchmarks;

/// <summary>Real inputs for the generation benchmarks: the bundled arXiv single-author abstracts (<c>samples/data/arxiv-single-author-abstracts</c>, CC0).</summary>
public static class ArxivBenchmarkData
{
    /// <summary>The author whose history the benchmarks use: Lluis Puig, 15 abstracts.</summary>
    public const string UserId = "a0d8daed7a268";

    private static readonly Lazy<IReadOnlyList<(string UserId, UserDocument Document)>> Loaded = new(Load);

    /// <summary>Gets every document of the data set with its user id, in file order.</summary>
    public static IReadOnlyList<(string UserId, UserDocument Document)> All => Loaded.Value;

    /// <summary>Gets the benchmark author's documents, oldest first: all but the last are the past, the last one's title is the query.</summary>
    public static (IReadOnlyList<UserDocument> Past, UserDocument Next) Author()
    {
        UserDocument[] history = [.. All.Where(d => d.UserId == UserId).Select(d => d.Document)];
        return (history[..^1], history[^1]);
    }

    private static List<(string UserId, UserDocument Document)> Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PromptKit.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' holds PromptKit.sln.");
        }

        string path = Path.Combine(dir.FullName, "samples", "data", "arxiv-single-author-abstracts", "docs.jsonl");
        var documents = new List<(string, UserDocument)>();
        foreach (string line in File.ReadLines(path))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            documents.Add((root.GetProperty("user_id").GetString()!, new UserDocument(
                root.GetProperty("doc_id").GetString()!,
                root.GetProperty("title").GetString()!,
                root.GetProperty("text").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))));
        }

        return documents;
    }
}
