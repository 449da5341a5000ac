using System.Text.Json;

namespace PromptKit.Samples.QuickStart;

/// <summary>One paper of one author in the bundled arXiv single-author data set (CC0).</summary>
internal sealed record ArxivDocument(string UserId, string Author, string DocId, string Title, string Text, string Timestamp);

/// <summary>One author: earlier papers as history, the latest paper held out as the target.</summary>
internal sealed record AuthorTask(string UserId, string Author, IReadOnlyList<ArxivDocument> History, ArxivDocument Target);

/// <summary>Loads <c>docs.jsonl</c> and splits each author leave-last-out by timestamp.</summary>
internal static class ArxivDataset
{
    public static IReadOnlyList<ArxivDocument> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The arXiv data file was not found at '{path}'. It ships in samples/data/arxiv-single-author-abstracts.", path);
        }

        var documents = new List<ArxivDocument>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                JsonElement e = json.RootElement;
                documents.Add(new ArxivDocument(
                    Required(e, "user_id"), Required(e, "author"), Required(e, "doc_id"),
                    Required(e, "title"), Required(e, "text"), Required(e, "timestamp")));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: {ex.Message}", ex);
            }
        }

        return documents;
    }

    /// <summary>Per author, sorts by timestamp (then id) and holds out the last paper.</summary>
    public static IReadOnlyList<AuthorTask> LeaveLastOut(IReadOnlyList<ArxivDocument> documents, int minimumHistory = 3)
    {
        var tasks = new List<AuthorTask>();
        foreach (IGrouping<string, ArxivDocument> author in documents.GroupBy(d => d.UserId, StringComparer.Ordinal))
        {
            ArxivDocument[] ordered = [.. author.OrderBy(d => d.Timestamp, StringComparer.Ordinal).ThenBy(d => d.DocId, StringComparer.Ordinal)];
            if (ordered.Length <= minimumHistory)
            {
                continue;
            }

            tasks.Add(new AuthorTask(author.Key, ordered[0].Author, ordered[..^1], ordered[^1]));
        }

        return tasks;
    }

    private static string Required(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new KeyNotFoundException($"Field '{name}' is missing or not a string.");
}
