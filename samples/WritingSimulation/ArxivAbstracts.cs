using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace PromptKit.Samples.Writing;

/// <summary>One abstract of the bundled arXiv single-author data set.</summary>
public sealed record ArxivAbstract(string UserId, string Author, string DocumentId, string Title, string Text, DateTimeOffset Timestamp);

/// <summary>One author's abstracts, oldest first.</summary>
public sealed record ArxivAuthor(string UserId, string Author, ImmutableArray<ArxivAbstract> Abstracts);

/// <summary>Reads <c>docs.jsonl</c> of <c>samples/data/arxiv-single-author-abstracts</c> (CC0; see its README).</summary>
public static class ArxivAbstracts
{
    /// <summary>Reads every author, each with their abstracts sorted by timestamp (then document id), authors in user-id order.</summary>
    /// <param name="path">The <c>docs.jsonl</c> file.</param>
    /// <returns>The authors.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a valid record; the message names the line.</exception>
    public static ImmutableArray<ArxivAuthor> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The arXiv abstracts file '{path}' does not exist; it ships in samples/data/arxiv-single-author-abstracts.", path);
        }

        var byUser = new Dictionary<string, List<ArxivAbstract>>(StringComparer.Ordinal);
        var authorNames = new Dictionary<string, string>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ArxivAbstract record;
            try
            {
                using JsonDocument json = JsonDocument.Parse(line);
                JsonElement root = json.RootElement;
                record = new ArxivAbstract(
                    Required(root, "user_id"),
                    Required(root, "author"),
                    Required(root, "doc_id"),
                    Required(root, "title"),
                    Required(root, "text"),
                    DateTimeOffset.Parse(Required(root, "timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: {ex.Message}", ex);
            }

            if (!byUser.TryGetValue(record.UserId, out List<ArxivAbstract>? list))
            {
                list = [];
                byUser.Add(record.UserId, list);
                authorNames.Add(record.UserId, record.Author);
            }

            list.Add(record);
        }

        var authors = ImmutableArray.CreateBuilder<ArxivAuthor>(byUser.Count);
        foreach (string user in byUser.Keys.Order(StringComparer.Ordinal))
        {
            ImmutableArray<ArxivAbstract> abstracts = [.. byUser[user].OrderBy(a => a.Timestamp).ThenBy(a => a.DocumentId, StringComparer.Ordinal)];
            authors.Add(new ArxivAuthor(user, authorNames[user], abstracts));
        }

        return authors.MoveToImmutable();
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new KeyNotFoundException($"the field '{name}' is missing or empty");
}
