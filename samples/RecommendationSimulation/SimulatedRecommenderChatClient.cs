using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit.Samples.Recommendation;

/// <summary>
/// A SIMULATED frozen LLM recommender, the offline stand-in for a real model in RPP experiments. It is not a language
/// model: it reads the prompt the <see cref="RppPromptComposer"/> writes (default <see cref="PromptFormat"/>), scores the
/// candidates with item-item similarity and answers in text. It is <b>fair</b> in the sense of the design rules: it
/// reads only the rendered prompt text, measures user traits only on the items the prompt shows, re-identifies nobody,
/// and responds to families of words (several phrasings each), never to a literal sentence the library writes.
/// </summary>
/// <remarks>
/// The rules, their constants and effect sizes are in this sample's README.md; <see cref="SimulatorRules"/> holds the
/// constants, the trait definition and the vocabulary of the default and of three variants. Deterministic, thread-safe
/// (read-only after construction), honours cancellation. Usage counts are characters / 4, not model tokens.
/// <see cref="ChatResponse.ModelId"/> is <c>simulated-recommender</c>.
/// </remarks>
public sealed partial class SimulatedRecommenderChatClient : IChatClient
{
    public const string ModelId = "simulated-recommender";
    private const ulong AppealSalt = 0xA99EA1UL;
    private const string RefinementMarker = "sentence of a movie-recommendation prompt to be clearer and more effective";

    private readonly InteractionDataset _data;
    private readonly ItemSimilarity _similarity;
    private readonly FrozenDictionary<string, string> _idByTitle;
    private readonly UserTraitScale _scale;
    private readonly Regex _genreNames;
    private readonly ulong _seed;
    private int _calls;

    /// <summary>Initializes a new instance of the <see cref="SimulatedRecommenderChatClient"/> class.</summary>
    /// <param name="trainingInteractions">The simulator's world knowledge: the catalogue, and the interactions it fits
    /// item similarity, popularity and the trait percentiles on (use <see cref="RecommendationSplit.TrainingInteractions"/>,
    /// which holds no held-out target). It never looks a user up in them.</param>
    /// <param name="seed">The seed of the noise and the surface appeal.</param>
    /// <param name="rules">The rules, or <see langword="null"/> for <see cref="SimulatorRules.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="trainingInteractions"/> is <see langword="null"/>.</exception>
    public SimulatedRecommenderChatClient(InteractionDataset trainingInteractions, int seed = 0, SimulatorRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(trainingInteractions);
        _data = trainingInteractions;
        Rules = rules ?? SimulatorRules.Default;
        _similarity = new ItemSimilarity(trainingInteractions);
        _seed = Mix(0x9E3779B97F4A7C15UL, (ulong)(uint)seed);
        var byTitle = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RecommendationItem item in trainingInteractions.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            byTitle.TryAdd(item.DisplayTitle, item.Id);
        }

        _idByTitle = byTitle.ToFrozenDictionary(StringComparer.Ordinal);
        _scale = new UserTraitScale(trainingInteractions, _similarity, Rules.TraitWindow, Rules.AlternativeTraits);
        string[] genres = [.. trainingInteractions.Genres.Where(g => g.Length > 0 && char.IsLetter(g[0])).Select(Regex.Escape)];
        _genreNames = new Regex(@"\b(?:" + string.Join('|', genres) + @")\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>Gets the rules this simulator follows.</summary>
    public SimulatorRules Rules { get; }

    /// <summary>Gets the number of requests answered so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        (string system, string user) = Texts(messages);
        string answer = system.Contains(RefinementMarker, StringComparison.Ordinal) ? Refine(system, user) : Answer(system, user);
        int input = (system.Length + user.Length) / 4;
        int output = answer.Length / 4;
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = ModelId,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
        return Task.FromResult(response);
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

    /// <summary>How closely the answer to a ranking prompt follows the history shown (the attention of the README's
    /// rule 3), for tests and for explaining a prompt's effect.</summary>
    /// <param name="messages">The ranking prompt's messages.</param>
    /// <returns>The attention in [0.05, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public double GetAttention(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        (string system, string user) = Texts(messages);
        PromptReading prompt = Read(system, user);
        return Attention(Fit(prompt, Traits(prompt)));
    }

    private static (string System, string User) Texts(IEnumerable<ChatMessage> messages)
    {
        ChatMessage[] list = [.. messages];
        string system = string.Join("\n\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        string user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        return (system, user);
    }

    /// <summary>The simulated refining LLM (RPP+): rewrites the sentence for the user whose history the request shows.</summary>
    private string Refine(string system, string user)
    {
        string[] paragraphs = user.Split("\n\n");
        string sentence = paragraphs[0].Trim();
        if (sentence.Length == 0)
        {
            return "Please give me a sentence to rewrite.";
        }

        var context = new PromptReading();
        ReadHistory(string.Join("\n\n", paragraphs.Skip(1)), context);
        if (Uniform(Hash(_seed ^ 0x5EF1UL, user)) < 0.01)
        {
            return "I'm sorry, but I can't rewrite this sentence.";
        }

        if (!system.Contains("reasoning-guidance", StringComparison.Ordinal) || context.History.Count < 3)
        {
            return sentence; // nothing about this user to add: a good sentence stays as it is
        }

        IReadOnlyList<ReasoningFamily> families = Rules.Vocabulary.Match(sentence);
        string? detail = null;
        List<string> top = TopGenres(context.History, 2);
        if (families.Contains(ReasoningFamily.Genre) && top.Count > 0)
        {
            detail = top.Count > 1 ? $"here mostly {top[0]} and {top[1]}" : $"here mostly {top[0]}";
        }
        else if (families.Contains(ReasoningFamily.Recency))
        {
            int k = context.History.Count;
            List<string> late = TopGenres(context.History.GetRange(k - Math.Max(1, k / 3), Math.Max(1, k / 3)), 1);
            detail = late.Count > 0 ? $"lately mostly {late[0]}" : null;
        }
        else if (families.Contains(ReasoningFamily.Collaborative) && top.Count > 0)
        {
            detail = $"for example fans of {top[0]} movies";
        }
        else if (families.Contains(ReasoningFamily.Rating) && context.RatingsShown)
        {
            List<string> loved = TopGenres(context.History.FindAll(h => h.Rating >= 4), 1);
            detail = loved.Count > 0 ? $"this user rates {loved[0]} movies highest" : null;
        }

        string body = char.ToLowerInvariant(sentence[0]) + sentence[1..].TrimEnd('.', ' ');
        return detail is null ? $"For this user, {body}." : $"For this user, {body} ({detail}).";
    }

    // The most frequent genres of the items, most frequent first (ties by name); only genres that have a name.
    private List<string> TopGenres(List<(string Id, double Rating)> history, int count)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string id, _) in history)
        {
            foreach (string g in _data.Items[id].Genres)
            {
                counts[g] = counts.GetValueOrDefault(g) + 1;
            }
        }

        return [.. counts.Where(p => _genreNames.IsMatch(p.Key)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).Select(p => p.Key)];
    }

    private string Answer(string system, string user)
    {
        PromptReading prompt = Read(system, user);
        if (prompt.Candidates.Count == 0)
        {
            return "I could not find any candidate movies to rank. Please list them as \"[id] Title\".";
        }

        double attention = Attention(Fit(prompt, Traits(prompt)));
        ulong promptHash = Hash(_seed, prompt.HashedText);
        int n = prompt.Candidates.Count;
        var signal = new double[n];
        var appeal = new double[n];
        for (int i = 0; i < n; i++)
        {
            string id = prompt.Candidates[i].Id;
            signal[i] = Signal(id, prompt);
            appeal[i] = Gaussian(Hash(_seed ^ AppealSalt, id));
        }

        Standardize(signal);
        Standardize(appeal);
        var scores = new double[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = (attention * signal[i]) + ((1 - attention) * appeal[i]) + (Rules.Noise * Gaussian(Mix(promptHash, Hash(0, prompt.Candidates[i].Id))));
        }

        int[] order = [.. Enumerable.Range(0, scores.Length)];
        Array.Sort(order, (a, b) =>
        {
            int byScore = scores[b].CompareTo(scores[a]);
            return byScore != 0 ? byScore : string.CompareOrdinal(prompt.Candidates[a].Id, prompt.Candidates[b].Id);
        });
        return Write(prompt, order, Uniform(Mix(promptHash, 0x5EED)));
    }

    private double Attention(double fit) => Math.Clamp(Rules.BaseAttention + fit, 0.05, 1.0);

    private static void Standardize(double[] values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        double sd = Math.Sqrt(variance);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = sd > 1e-12 ? (values[i] - mean) / sd : 0;
        }
    }

    private double Signal(string candidate, PromptReading prompt)
    {
        int k = prompt.History.Count;
        bool recency = prompt.Families.Contains(ReasoningFamily.Recency);
        double sum = 0;
        double weights = 0;
        double years = 0;
        int yearCount = 0;
        for (int j = 0; j < k; j++)
        {
            (string id, double rating) = prompt.History[j];
            double w = double.IsNaN(rating) ? 1.0 : (rating - 2.75) / 2.25;
            if (k > 8 && j >= 2 && j < k - 3)
            {
                w *= Rules.MiddleWeight; // lost in the middle
            }

            if (recency && k > 1)
            {
                w *= 1 + ((double)j / (k - 1)); // "recent" reads as the end of the list
            }

            sum += w * _similarity.Cosine(candidate, id);
            weights += Math.Abs(w);
            if (_data.Items[id].Year is int year)
            {
                years += year;
                yearCount++;
            }
        }

        double similarity = weights > 0 ? sum / weights : 0;
        if (prompt.Families.Contains(ReasoningFamily.Collaborative))
        {
            similarity *= 1.25; // "people who liked what this user liked": co-occurrence is what it means
        }

        double genre = 0;
        double named = 0;
        if (_data.Items.TryGetValue(candidate, out RecommendationItem? item) && !item.Genres.IsEmpty)
        {
            foreach (string g in item.Genres)
            {
                genre += k > 0 ? (double)prompt.GenreCounts.GetValueOrDefault(g) / k : 0;
                named += prompt.NamedGenres.Contains(g) ? 1 : 0;
            }

            genre /= item.Genres.Length;
            named /= item.Genres.Length;
        }

        double score = similarity
            + ((prompt.Families.Contains(ReasoningFamily.Genre) ? 0.2 : 0.1) * genre)
            + ((prompt.Families.Contains(ReasoningFamily.Popularity) ? 0.12 : 0.03) * _similarity.LogPopularity(candidate))
            + (Rules.NamedGenreWeight * named);
        if (prompt.Families.Contains(ReasoningFamily.Era) && yearCount > 0 && item?.Year is int candidateYear)
        {
            score += 0.1 * Math.Max(0, 1 - (Math.Abs(candidateYear - (years / yearCount)) / 30));
        }

        return score;
    }

    private double Fit(PromptReading prompt, UserTraits t)
    {
        SimulatorRules r = Rules;
        int k = prompt.History.Count;
        double fit = (0.05 * Math.Log((Math.Min(k, 10) + 1) / 4.0)) - (0.03 * Math.Max(0, k - 10));
        double family = 0;
        foreach (ReasoningFamily f in prompt.Families)
        {
            family += f switch
            {
                ReasoningFamily.Genre => r.Match * ((2 * t.Concentration) - 1),
                ReasoningFamily.Recency => prompt.HighestRatedOrder ? -r.Match / 2 : r.Match * ((2 * t.Drift) - 1),
                ReasoningFamily.Rating => prompt.RatingsShown ? r.Match * ((2 * t.RatingSpread) - 1) : -0.05,
                ReasoningFamily.Collaborative => r.CollaborativeBonus + (r.Match / 2 * ((2 * t.Mainstream) - 1)),
                ReasoningFamily.Popularity => r.Match * ((2 * t.Mainstream) - 1),
                ReasoningFamily.Era => r.Match * ((2 * t.EraFocus) - 1),
                ReasoningFamily.StepByStep => r.StepBonus,
                ReasoningFamily.Compare => r.CompareBonus - (r.ComparePerItem * k),
                ReasoningFamily.Diversity => -0.15,
                _ => 0.03,
            };
        }

        if (prompt.Families.Count > 1)
        {
            family /= Math.Sqrt(prompt.Families.Count); // several strategies at once dilute each other
        }

        fit += family;
        fit += r.Vocabulary.Role(prompt.Role) switch
        {
            "recommender" => 0.04,
            "critic" => 0.02 + (r.Match / 3 * ((2 * t.RatingSpread) - 1)),
            "friend" => 0.02 + (r.Match / 3 * ((2 * t.Concentration) - 1)),
            _ => 0,
        };
        fit += prompt.Format switch
        {
            AnswerFormat.TitlesWithReasons => r.ReasonFormatBonus,
            AnswerFormat.Ids or AnswerFormat.IdTitleLines => r.IdFormatBonus,
            _ => 0,
        };
        return fit;
    }

    private static string Write(PromptReading prompt, int[] order, double draw)
    {
        List<(string Id, string Title)> c = prompt.Candidates;
        if (draw < 0.003)
        {
            return "I'm sorry, but I can't help with ranking these movies.";
        }

        int keep = order.Length;
        bool prose = false;
        string? opening = null;
        switch (prompt.Format)
        {
            case AnswerFormat.NumberedTitles:
                opening = draw < 0.05 ? "Here is my ranking for this user:" : null;
                keep -= draw is >= 0.05 and < 0.09 ? 3 : 0;
                break;
            case AnswerFormat.Json:
                opening = draw < 0.08 ? "Based on the user's history, here is the ranking:" : null;
                keep -= draw is >= 0.08 and < 0.11 ? 2 : 0;
                break;
            case AnswerFormat.TitlesWithReasons:
                prose = draw < 0.02;
                keep -= draw is >= 0.02 and < 0.17 ? 4 : 0;
                break;
            case AnswerFormat.IdTitleLines:
                keep -= draw < 0.02 ? 1 : 0;
                break;
            case AnswerFormat.Unknown:
                keep -= draw < 0.1 ? 3 : 0;
                break;
        }

        keep = Math.Max(1, keep);
        var text = new StringBuilder();
        if (prose)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"This user would most enjoy {c[order[0]].Title}{(order.Length > 1 ? $", followed by {c[order[1]].Title}" : string.Empty)}.");
        }

        if (opening is not null)
        {
            text.Append(opening).Append("\n\n");
        }

        switch (prompt.Format)
        {
            case AnswerFormat.Ids:
                text.AppendJoin(", ", order.Take(keep).Select(i => c[i].Id));
                break;
            case AnswerFormat.Json:
                text.Append(opening is null ? string.Empty : "```json\n").Append('[')
                    .AppendJoin(", ", order.Take(keep).Select(i => $"\"{c[i].Id}\"")).Append(']')
                    .Append(opening is null ? string.Empty : "\n```");
                break;
            case AnswerFormat.IdTitleLines:
                text.AppendJoin('\n', order.Take(keep).Select(i => $"[{c[i].Id}] {c[i].Title}"));
                break;
            case AnswerFormat.TitlesWithReasons:
                text.AppendJoin('\n', order.Take(keep).Select((i, rank) => string.Create(
                    CultureInfo.InvariantCulture,
                    $"{rank + 1}. {c[i].Title} - {(rank < 3 ? "closest to the movies the user liked" : rank < 6 ? "a fair match for the user's taste" : "a weaker match")}")));
                break;
            default:
                text.AppendJoin('\n', order.Take(keep).Select((i, rank) => string.Create(CultureInfo.InvariantCulture, $"{rank + 1}. {c[i].Title}")));
                break;
        }

        return text.ToString();
    }

    private UserTraits Traits(PromptReading prompt) =>
        prompt.History.Count == 0
            ? UserTraits.Neutral
            : _scale.Traits([.. prompt.History.Select(h => _data.Items[h.Id])], [.. prompt.History.Select(h => h.Rating)]);

    private PromptReading Read(string system, string user)
    {
        var reading = new PromptReading();
        string[] paragraphs = user.Split("\n\n");
        int candidatesAt = user.IndexOf("Candidates:\n", StringComparison.Ordinal);
        reading.HashedText = system + "\n\n" + (candidatesAt >= 0 ? user[..candidatesAt] : user);
        var reasoning = new StringBuilder();
        string? previousPlain = null;
        foreach (string paragraph in paragraphs)
        {
            if (paragraph.StartsWith("History records:", StringComparison.Ordinal))
            {
                ReadHistory(paragraph, reading);
                if (previousPlain is not null)
                {
                    reading.HighestRatedOrder = Has(previousPlain, "highest");
                    reasoning.Length = Math.Max(0, reasoning.Length - previousPlain.Length - 1);
                }

                previousPlain = null;
            }
            else if (paragraph.StartsWith("Candidates:", StringComparison.Ordinal))
            {
                foreach (string line in BlockLines(paragraph))
                {
                    Match m = CandidateLineRegex().Match(line);
                    if (m.Success)
                    {
                        reading.Candidates.Add((m.Groups["id"].Value, m.Groups["title"].Value.Trim()));
                    }
                }

                previousPlain = null;
            }
            else if (paragraph.StartsWith("Output format:", StringComparison.Ordinal))
            {
                string format = paragraph["Output format:".Length..];
                reading.Format = Has(format, "json") ? AnswerFormat.Json
                    : Has(format, "reason") ? AnswerFormat.TitlesWithReasons
                    : Has(format, "[id]") ? AnswerFormat.IdTitleLines
                    : Has(format, "ids") ? AnswerFormat.Ids
                    : Has(format, "titles") ? AnswerFormat.NumberedTitles
                    : AnswerFormat.Unknown;
                previousPlain = null;
            }
            else
            {
                reasoning.Append(paragraph).Append('\n');
                previousPlain = paragraph;
            }
        }

        string text = reasoning.ToString();
        reading.Families = Rules.Vocabulary.Match(text);
        foreach (Match m in _genreNames.Matches(text))
        {
            reading.NamedGenres.Add(_data.Genres.FirstOrDefault(g => string.Equals(g, m.Value, StringComparison.OrdinalIgnoreCase)) ?? m.Value);
        }

        foreach (string paragraph in system.Split("\n\n"))
        {
            if (!paragraph.StartsWith("Rank the ", StringComparison.Ordinal) && !paragraph.Contains("<user_data>", StringComparison.Ordinal))
            {
                reading.Role += paragraph + "\n";
            }
        }

        return reading;
    }

    private void ReadHistory(string paragraph, PromptReading reading)
    {
        foreach (string line in BlockLines(paragraph))
        {
            Match m = HistoryLineRegex().Match(line);
            if (m.Success && _idByTitle.TryGetValue(m.Groups["title"].Value, out string? id))
            {
                double rating = m.Groups["rating"].Success ? double.Parse(m.Groups["rating"].Value, CultureInfo.InvariantCulture) : double.NaN;
                reading.RatingsShown |= m.Groups["rating"].Success;
                reading.History.Add((id, rating));
                foreach (string g in _data.Items[id].Genres)
                {
                    reading.GenreCounts[g] = reading.GenreCounts.GetValueOrDefault(g) + 1;
                }
            }
        }
    }

    private static IEnumerable<string> BlockLines(string paragraph)
    {
        foreach (string raw in paragraph.Split('\n'))
        {
            if (raw.StartsWith('<') || raw.EndsWith(':'))
            {
                continue; // heading, <user_data …> and </user_data>
            }

            yield return WebUtility.HtmlDecode(ItemMarkerRegex().Replace(raw, string.Empty)); // user content arrives XML-escaped
        }
    }

    private static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);

    private static ulong Hash(ulong seed, string text)
    {
        ulong hash = 14695981039346656037UL ^ seed;
        foreach (char ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return Mix(hash, seed);
    }

    private static ulong Mix(ulong a, ulong b)
    {
        ulong z = a + (b * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static double Uniform(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    private static double Gaussian(ulong h)
    {
        double u1 = Math.Max(Uniform(h), 1e-12);
        double u2 = Uniform(Mix(h, 1));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [GeneratedRegex(@"^(?<title>.+?)(?: \[(?<genres>[^\]]*)\])?(?:, rated (?<rating>\d+(?:\.\d+)?))?$")]
    private static partial Regex HistoryLineRegex();

    [GeneratedRegex(@"^\[(?<id>[^\]\s]+)\]\s+(?<title>.+)$")]
    private static partial Regex CandidateLineRegex();

    [GeneratedRegex(@"^(\d+\.|-|\*)\s+")]
    private static partial Regex ItemMarkerRegex();

    private enum AnswerFormat
    {
        Unknown,
        NumberedTitles,
        Ids,
        Json,
        TitlesWithReasons,
        IdTitleLines,
    }

    private sealed class PromptReading
    {
        public List<(string Id, string Title)> Candidates { get; } = [];

        public List<(string Id, double Rating)> History { get; } = [];

        public Dictionary<string, int> GenreCounts { get; } = new(StringComparer.Ordinal);

        public HashSet<string> NamedGenres { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<ReasoningFamily> Families { get; set; } = [];

        public bool RatingsShown { get; set; }

        public bool HighestRatedOrder { get; set; }

        public string Role { get; set; } = string.Empty;

        public AnswerFormat Format { get; set; } = AnswerFormat.Unknown;

        public string HashedText { get; set; } = string.Empty;
    }
}
