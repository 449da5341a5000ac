using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit.Samples.Writing;

/// <summary>A <b>simulated</b> frozen LLM that writes an abstract from a personalized-generation prompt. It is a
/// measuring instrument for the rewriting method, not a language model: its rules are in the README next to this file.</summary>
/// <remarks>
/// <para>Fair by construction: it reads only the rendered text of the messages (no ids, options or side channels), never
/// the target abstract or any document the prompt does not show, and no literal sentence the library writes changes its
/// answer. It responds to generic properties a real model also responds to: what the request is about, which words the
/// prompt repeats or puts first, a stated length and opening, and how much off-topic prose competes for its attention.</para>
/// <para>Deterministic (temperature 0), thread-safe, honours cancellation. <see cref="ChatResponse.ModelId"/> is
/// <c>simulated-writer</c>. Usage counts are characters / 4, not model tokens.</para>
/// </remarks>
public sealed partial class SimulatedWriterChatClient : IChatClient
{
    public const string ModelId = "simulated-writer";

    private static readonly FrozenStopWords StopWords = new();
    private readonly SimulatedWriterSettings _settings;
    private int _calls;

    public SimulatedWriterChatClient(SimulatedWriterSettings? settings = null)
    {
        _settings = settings ?? SimulatedWriterSettings.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_settings.KeywordSlots, nameof(settings));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_settings.DefaultLength, nameof(settings));
    }

    /// <summary>Gets the settings.</summary>
    public SimulatedWriterSettings Settings => _settings;

    /// <summary>Gets the number of requests answered so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        string prompt = string.Join("\n\n", messages.Select(m => m.Text));
        string answer = Write(prompt);
        int input = prompt.Length / 4;
        int output = answer.Length / 4;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = ModelId,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    /// <summary>Writes the abstract for one rendered prompt (the whole rule set; see the README).</summary>
    internal string Write(string prompt)
    {
        Reading reading = Read(prompt);
        var salience = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string word in Words(reading.Context))
        {
            Add(salience, word, _settings.ContextWeight);
        }

        for (int i = 0; i < reading.Cues.Count; i++)
        {
            double weight = _settings.CueWeight * Math.Pow(_settings.CueDecay, i);
            foreach (string word in Words(reading.Cues[i]))
            {
                Add(salience, word, weight);
            }
        }

        foreach (string sentence in reading.Prose)
        {
            foreach (string word in Words(sentence))
            {
                Add(salience, word, _settings.ContentWeight);
            }
        }

        int length = reading.StatedLength ?? _settings.DefaultLength;
        var output = new StringBuilder();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        int written = 0;
        string opener = reading.Opener ?? (reading.FirstPersonPlural ? "We" : "This paper");
        bool we = string.Equals(opener, "We", StringComparison.OrdinalIgnoreCase);
        if (reading.Context.Length > 0)
        {
            written += Append(output, covered, $"{opener} {(we ? "study" : "studies")} {LowerFirst(reading.Context.TrimEnd('.'))}.");
        }

        // The keyword sentence: the most salient cues, most salient first.
        string[] keywords = [.. reading.Cues.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select((cue, index) => (Cue: cue, Score: Mean(salience, cue), Index: index))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Index)
            .Take(_settings.KeywordSlots)
            .Select(c => c.Cue)];
        if (keywords.Length > 0)
        {
            string list = keywords.Length == 1 ? keywords[0] : $"{string.Join(", ", keywords[..^1])} and {keywords[^1]}";
            written += Append(output, covered, $"{(we ? "We build on" : "The work builds on")} {list}.");
        }

        // Then the prose sentences that carry the most salient words, passing over ones that repeat what is written.
        // A sentence's words and salience do not change while writing; only how much of it is already covered does.
        var candidates = new List<Candidate>();
        foreach (string sentence in reading.Prose.Distinct(StringComparer.Ordinal))
        {
            var distinct = new HashSet<string>(Words(sentence), StringComparer.Ordinal);
            double relevance = 0;
            foreach (string word in distinct)
            {
                relevance += salience.GetValueOrDefault(word);
            }

            candidates.Add(new Candidate(sentence, distinct, distinct.Count == 0 ? 0 : relevance / Math.Sqrt(distinct.Count)));
        }

        while (written < length && candidates.Count > 0)
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int i = 0; i < candidates.Count; i++)
            {
                double score = Score(candidates[i], covered);
                if (score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            if (best < 0)
            {
                break; // only sentences without a content word are left
            }

            written += Append(output, covered, candidates[best].Text);
            candidates.RemoveAt(best);
        }

        return output.ToString().Trim();
    }

    private double Score(Candidate candidate, HashSet<string> covered)
    {
        if (candidate.Words.Count == 0)
        {
            return double.NegativeInfinity;
        }

        int repeated = 0;
        foreach (string word in candidate.Words)
        {
            repeated += covered.Contains(word) ? 1 : 0;
        }

        return candidate.Relevance * (1 - (_settings.RedundancyPenalty * repeated / candidate.Words.Count));
    }

    private static int Append(StringBuilder output, HashSet<string> covered, string sentence)
    {
        output.Append(sentence).Append(' ');
        covered.UnionWith(Words(sentence));
        return sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private static double Mean(Dictionary<string, double> salience, string text)
    {
        double sum = 0;
        int count = 0;
        foreach (string word in Words(text))
        {
            sum += salience.GetValueOrDefault(word);
            count++;
        }

        return count == 0 ? 0 : sum / count;
    }

    private static void Add(Dictionary<string, double> salience, string word, double weight) =>
        salience[word] = salience.GetValueOrDefault(word) + weight;

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    // Content words: runs of letters/digits, lower-cased, at least 3 characters, no stop word, a plural "s" removed.
    internal static IEnumerable<string> Words(string text)
    {
        foreach (Match match in WordPattern().Matches(text))
        {
            string word = match.Value.ToLowerInvariant();
            if (word.Length < 3 || StopWords.Contains(word))
            {
                continue;
            }

            yield return word.Length > 4 && word[^1] == 's' && word[^2] != 's' ? word[..^1] : word;
        }
    }

    private Reading Read(string prompt)
    {
        var reading = new Reading();
        int consumed = 0;
        var outside = new StringBuilder();
        foreach (Match block in BlockPattern().Matches(prompt))
        {
            string before = prompt[consumed..block.Index];
            outside.Append(before);
            consumed = block.Index + block.Length;
            string label = LastLine(before) + " " + block.Groups["name"].Value;
            string content = WebUtility.HtmlDecode(block.Groups["content"].Value).Trim();
            if (reading.Context.Length == 0 && IsContextLabel(label))
            {
                reading.Context = string.Join(' ', content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                continue;
            }

            foreach (string rawLine in content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string line = ListMarker().Replace(rawLine, string.Empty);
                if (line.Length == 0)
                {
                    continue;
                }

                if (CountWords(line) <= 5 && !line.EndsWith('.'))
                {
                    reading.Cues.Add(line);
                }
                else
                {
                    foreach (string sentence in SentenceBoundary().Split(line))
                    {
                        if (CountWords(sentence) >= 4)
                        {
                            reading.Prose.Add(sentence.Trim());
                        }
                    }
                }

                ReadStyle(line, reading);
            }
        }

        outside.Append(prompt[consumed..]);
        ReadStyle(outside.ToString(), reading);
        return reading;
    }

    private static void ReadStyle(string text, Reading reading)
    {
        Match length = LengthPattern().Match(text);
        if (length.Success && int.TryParse(length.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int words))
        {
            reading.StatedLength = Math.Clamp(words, 30, 400);
        }

        Match opener = OpenerPattern().Match(text);
        if (opener.Success)
        {
            reading.Opener = opener.Groups[1].Value;
        }

        if (FirstPersonPattern().IsMatch(text))
        {
            reading.FirstPersonPlural = true;
        }
    }

    private bool IsContextLabel(string label)
    {
        foreach (string word in WordPattern().Matches(label).Select(m => m.Value))
        {
            if (_settings.ContextWords.Contains(word, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string LastLine(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? string.Empty : lines[^1];
    }

    private static int CountWords(string text) => WordPattern().Count(text);

    [GeneratedRegex(@"^<(?<tag>[a-z][a-z0-9_]*)(?:\s+name=""(?<name>[^""]*)"")?>[ \t]*\r?$(?<content>.*?)^</\k<tag>>[ \t]*\r?$", RegexOptions.Singleline | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"[\p{L}\p{Nd}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^(?:\d+[.)]|[-*•])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBoundary();

    [GeneratedRegex(@"\b(?:about|around|roughly|approximately|some|nearly)\s+(\d{2,3})\s+words\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LengthPattern();

    [GeneratedRegex(@"\b(?:open|opens|opening|start|starts|starting|begin|begins|beginning)\s+with\s+[""“'‘]([A-Za-z]+)[""”'’]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenerPattern();

    [GeneratedRegex(@"\bfirst[- ]person plural\b|[""“]we[""”]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstPersonPattern();

    private sealed record Candidate(string Text, HashSet<string> Words, double Relevance);

    private sealed class Reading
    {
        public string Context { get; set; } = string.Empty;

        public List<string> Cues { get; } = [];

        public List<string> Prose { get; } = [];

        public int? StatedLength { get; set; }

        public string? Opener { get; set; }

        public bool FirstPersonPlural { get; set; }
    }

    private sealed class FrozenStopWords
    {
        private readonly HashSet<string> _words = new(StringComparer.Ordinal)
        {
            "the", "and", "for", "with", "that", "this", "are", "was", "were", "from", "which", "these", "those", "their",
            "its", "into", "than", "then", "also", "can", "has", "have", "had", "been", "being", "not", "but", "our", "use",
            "using", "used", "based", "show", "shown", "paper", "study", "studie", "work", "such", "other", "some", "more",
            "most", "both", "each", "all", "any", "between", "under", "over", "about", "via", "who", "whose", "what", "when",
            "where", "how", "new", "two", "one", "may", "well", "thus", "here", "there", "they", "them", "his", "her", "will",
            "would", "could", "should", "many", "much", "very", "only", "further", "present", "result", "approach", "method",
        };

        public bool Contains(string word) => _words.Contains(word);
    }
}
