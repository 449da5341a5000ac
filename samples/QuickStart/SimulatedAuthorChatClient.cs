using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit.Samples.QuickStart;

/// <summary>
/// A SIMULATED language model for running the quick start offline. It is not a language model and never pretends to be
/// one: it writes an "abstract" by stitching together sentences that the prompt itself contains.
/// </summary>
/// <remarks>
/// Rules (also in the sample's README):
/// <list type="number">
/// <item>It reads the blocks delimited as <c>&lt;user_data name="…"&gt;</c> in the last user message: <c>query</c> (the new
/// paper's title), <c>retrieved</c> (earlier abstracts), <c>summary</c> and <c>synthesis</c> (keywords).</item>
/// <item>Without a query it answers that it needs a title. Otherwise it opens with "We study {title}.".</item>
/// <item>Every sentence of the retrieved entries and the summary is scored by the weight of its distinct content words:
/// 2 for a word of the title, plus 1 for each time the word appears in the keyword list (so repeating a keyword
/// raises its weight), divided by √(sentence length).</item>
/// <item>It appends the best sentences, in score order, until the word budget is reached: the number in "about N words"
/// in the prompt, else 100.</item>
/// <item>It is deterministic. With <see cref="FaultRate"/> &gt; 0, that fraction of distinct requests fails on the first
/// attempt with an <see cref="HttpRequestException"/> (a transient fault), to show retries.</item>
/// <item>Usage counts are word counts, not model tokens.</item>
/// </list>
/// </remarks>
internal sealed partial class SimulatedAuthorChatClient : IChatClient
{
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private int _calls;

    public double FaultRate { get; init; }

    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        ChatMessage[] list = [.. messages];
        string request = string.Join("\n\n", list.Select(m => m.Text));
        if (FaultRate > 0 && _attempts.AddOrUpdate(request, 1, static (_, n) => n + 1) == 1 && Fraction(request) < FaultRate)
        {
            throw new HttpRequestException("Simulated transient fault (503).");
        }

        string user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        string answer = Write(user, request);
        int inputWords = CountWords(request);
        int outputWords = CountWords(answer);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = "simulated-author",
            Usage = new UsageDetails { InputTokenCount = inputWords, OutputTokenCount = outputWords, TotalTokenCount = inputWords + outputWords },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    internal static string Write(string user, string wholeRequest)
    {
        Dictionary<string, string> blocks = ReadBlocks(user);
        if (!blocks.TryGetValue("query", out string? title) || string.IsNullOrWhiteSpace(title))
        {
            return "Please give me the title of the paper to write about.";
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string word in TextFeatures.Words(title))
        {
            weights[word] = 2.0;
        }

        if (blocks.TryGetValue("synthesis", out string? keywords))
        {
            foreach (string item in Items(keywords))
            {
                foreach (string word in TextFeatures.Words(item))
                {
                    weights[word] = weights.GetValueOrDefault(word) + 1.0;
                }
            }
        }

        var sentences = new List<string>();
        if (blocks.TryGetValue("retrieved", out string? retrieved))
        {
            foreach (string item in Items(retrieved))
            {
                int colon = item.IndexOf(": ", StringComparison.Ordinal);
                sentences.AddRange(TextFeatures.Sentences(colon >= 0 ? item[(colon + 2)..] : item));
            }
        }

        if (blocks.TryGetValue("summary", out string? summary))
        {
            sentences.AddRange(TextFeatures.Sentences(summary));
        }

        int budget = WordBudget(wholeRequest);
        var output = new StringBuilder("We study ").Append(title.Trim().TrimEnd('.')).Append('.');
        int words = CountWords(output.ToString());
        foreach (string sentence in sentences
            .Distinct(StringComparer.Ordinal)
            .Select(s => (Sentence: s, Score: Score(s, weights)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Sentence, StringComparer.Ordinal)
            .Select(x => x.Sentence))
        {
            if (words >= budget)
            {
                break;
            }

            output.Append(' ').Append(sentence);
            words += CountWords(sentence);
        }

        return output.ToString();
    }

    private static double Score(string sentence, Dictionary<string, double> weights)
    {
        string[] words = [.. TextFeatures.Words(sentence)];
        if (words.Length == 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (string word in words.Distinct(StringComparer.Ordinal))
        {
            sum += weights.GetValueOrDefault(word);
        }

        return sum / Math.Sqrt(words.Length);
    }

    private static Dictionary<string, string> ReadBlocks(string text)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in BlockRegex().Matches(text))
        {
            blocks[match.Groups["name"].Value] = System.Net.WebUtility.HtmlDecode(match.Groups["body"].Value); // user content arrives XML-escaped
        }

        return blocks;
    }

    private static IEnumerable<string> Items(string block) =>
        block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => ItemMarkerRegex().Replace(line, string.Empty));

    private static int WordBudget(string text)
    {
        Match match = BudgetRegex().Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? Math.Clamp(n, 10, 1000) : 100;
    }

    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static double Fraction(string request)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in request)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (hash % 10_000) / 10_000.0;
    }

    [GeneratedRegex("<user_data name=\"(?<name>[A-Za-z0-9_.-]+)\">\\n(?<body>.*?)\\n</user_data>", RegexOptions.Singleline)]
    private static partial Regex BlockRegex();

    [GeneratedRegex(@"^(\d+\.|-)\s+")]
    private static partial Regex ItemMarkerRegex();

    [GeneratedRegex(@"about (\d+) words", RegexOptions.IgnoreCase)]
    private static partial Regex BudgetRegex();
}
