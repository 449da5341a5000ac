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
/// candidates with item-item similarity and answers in text.
/// </summary>
/// <remarks>
/// Rules (also in this sample's README.md):
/// <list type="number">
/// <item><b>What it reads.</b> The system messages and the last user message only. Candidates are the <c>"[id] Title"</c>
/// lines of the <c>candidates</c> user-data block; history items are the lines of the <c>history</c> block, matched to
/// catalogue items by their <c>"Title (Year)"</c> (a line it cannot match is ignored) with the rating when the line shows
/// one. The pattern sentences are recognized by key words (see below). An item the prompt does not show has no influence
/// on the ranking.</item>
/// <item><b>Signal.</b> Score of candidate c = mean over the shown history items h of w(h)·cos(c, h) + 0.1 × genre overlap
/// (mean share of shown items having each of c's genres) + 0.03 × log-popularity of c. cos is <see cref="ItemSimilarity"/>
/// fitted on the data set given to the constructor (use <see cref="RecommendationSplit.TrainingInteractions"/>, which
/// holds no held-out target). w(h) = 1, or (rating − 2.75) / 2.25 when ratings are shown (disliked items pull
/// candidates down). When more items are shown than suit the user ("lost in the middle"), items other than the first 2
/// and last 3 get weight × 0.4.</item>
/// <item><b>Attention.</b> How closely the ranking follows the history depends on how well the prompt fits the user:
/// attention a = clamp(0.1 + B, 0.05, 1), B the fit below. Score of candidate c = a·S(c) + (1 − a)·A(c) + 0.15·z, where S
/// is the signal above standardized over the listed candidates, A(c) a fixed "surface appeal" of the movie (a standard
/// normal drawn from a hash of the seed and the movie id: what a poorly instructed model falls back on, uninformative
/// about the user), and z a standard normal from a hash of the seed, the prompt text before the candidate list and the
/// candidate id (so the same request always gives the same answer).</item>
/// <item><b>Hidden user traits.</b> The simulator finds the one user of its data set who interacted with every shown
/// history item; when there is none or more than one, it measures the traits on the shown items alone (neutral where
/// that is too little). Traits are percentiles over the data set's users: genre concentration (top-2 genre share), genre
/// drift (early 70 % vs late 30 % of the history), rating spread (standard deviation), mainstreamness (mean
/// log-popularity), era focus (narrow range of release years); and a best history count b = 5 + 10·(1 − drift),
/// rounded. They come only from the constructor's interactions, never from a target.</item>
/// <item><b>Fit B</b> (percentile p, centred: p − 0.5):
/// history count k: −0.25·ln((b+1)/(k+1)) below b, −0.1·ln((k+1)/(b+1)) above;
/// ratings shown: +0.4·(spread − 0.5); order most-recent: +0.4·(drift − 0.5), highest-rated: −0.4·(drift − 0.5);
/// reasoning "genre": +2·(concentration − 0.5); "recent": +2·(drift − 0.5) (half with highest-rated order);
/// "rating"/"rated": +2·(spread − 0.5) with ratings shown, else 0.8·(spread − 0.5); "step by step": +0.1;
/// "compare": +0.12 − 0.01·k; "popular": +2·(mainstream − 0.5); "year"/"era": +2·(era focus − 0.5);
/// "broaden"/"unlike": −0.3; "overall": +0.04; role "recommender": +0.06; "critic": +0.02 + 0.15·(spread − 0.5);
/// "friend": +0.02 + 0.1·(concentration − 0.5); "assistant" or none: 0; format "reason": +0.1 (it reasons aloud),
/// "ids" or "[id]": +0.02; each sentence this simulator refined (it ends with "be specific and precise."): +0.05.</item>
/// <item><b>Output format.</b> The ranking is written as the format asks: numbered titles, comma-separated ids, a JSON
/// array of ids, numbered titles with a one-line reason, or "[id] Title" lines (an unrecognized format gets numbered
/// titles). A draw from the prompt hash decides deviations: numbered titles add a prose opening line 5 % of the time and
/// omit the last 3 items 4 %; JSON comes in a code fence after a prose line 8 % and omits the last 2 items 3 %; titles with
/// reasons omit the last 4 items 15 % and answer in prose naming 2 titles 2 %; "[id] Title" lines omit the last item 2 %;
/// comma-separated ids never deviate; an unrecognized format omits the last 3 items 10 %. Any format: 0.3 % of answers are
/// a refusal that names no candidate.</item>
/// <item><b>RPP+ refinement.</b> A request whose system message is <see cref="RppRefinement"/>'s instruction is answered
/// with the sentence, its final period removed, followed by "; be specific and precise." (unchanged when it already ends
/// so). The key words stay, so the rules above still recognize the sentence.</item>
/// <item>Deterministic, thread-safe (read-only after construction), honours cancellation. Usage counts are characters / 4,
/// not model tokens. <see cref="ChatResponse.ModelId"/> is <c>simulated-recommender</c>.</item>
/// </list>
/// </remarks>
public sealed partial class SimulatedRecommenderChatClient : IChatClient
{
    public const string ModelId = "simulated-recommender";
    internal const string RefinementSuffix = "be specific and precise.";
    private const double Noise = 0.15;
    private const double LongPenalty = 0.1;
    private const double Match = 2.0;
    private const double BaseAttention = 0.1;
    private const ulong AppealSalt = 0xA99EA1UL;
    private const string RefinementMarker = "sentence of a movie-recommendation prompt to be clearer and more effective";

    private readonly InteractionDataset _data;
    private readonly ItemSimilarity _similarity;
    private readonly FrozenDictionary<string, string> _idByTitle;
    private readonly UserTraitScale _scale;
    private readonly UserTraits[] _traits;
    private readonly ulong _seed;
    private int _calls;

    public SimulatedRecommenderChatClient(InteractionDataset trainingInteractions, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(trainingInteractions);
        _data = trainingInteractions;
        _similarity = new ItemSimilarity(trainingInteractions);
        _seed = Mix(0x9E3779B97F4A7C15UL, (ulong)(uint)seed);
        var byTitle = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RecommendationItem item in trainingInteractions.Items.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            byTitle.TryAdd(item.DisplayTitle, item.Id);
        }

        _idByTitle = byTitle.ToFrozenDictionary(StringComparer.Ordinal);
        RawTraits[] raw = new RawTraits[trainingInteractions.UserCount];
        for (int u = 0; u < raw.Length; u++)
        {
            UserProfile user = trainingInteractions.Users[u];
            raw[u] = UserTraitScale.Measure(
                [.. user.Interactions.Select(i => trainingInteractions.Items[i.ItemId])],
                [.. user.Interactions.Select(i => i.Rating)],
                _similarity);
        }

        _scale = new UserTraitScale(raw);
        _traits = [.. raw.Select(_scale.ToTraits)];
    }

    /// <summary>Gets the number of requests answered so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        ChatMessage[] list = [.. messages];
        string system = string.Join("\n\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        string user = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        string answer = system.Contains(RefinementMarker, StringComparison.Ordinal) ? Refine(user) : Answer(system, user);
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

    /// <summary>The simulator's rewrite of a pattern sentence (RPP+).</summary>
    internal static string Refine(string sentence)
    {
        string s = sentence.Trim();
        if (s.Length == 0 || s.EndsWith(RefinementSuffix, StringComparison.Ordinal))
        {
            return s;
        }

        return s.TrimEnd('.', ' ') + "; " + RefinementSuffix;
    }

    internal string Answer(string system, string user)
    {
        PromptReading prompt = Read(system, user);
        if (prompt.Candidates.Count == 0)
        {
            return "I could not find any candidate movies to rank. Please list them as \"[id] Title\".";
        }

        UserTraits traits = Traits(prompt);
        int k = prompt.History.Count;
        double attention = Attention(Fit(prompt, traits, k));
        ulong promptHash = Hash(_seed, prompt.HashedText);
        int n = prompt.Candidates.Count;
        var signal = new double[n];
        var appeal = new double[n];
        for (int i = 0; i < n; i++)
        {
            string id = prompt.Candidates[i].Id;
            signal[i] = Signal(id, prompt, traits);
            appeal[i] = Gaussian(Hash(_seed ^ AppealSalt, id));
        }

        Standardize(signal);
        Standardize(appeal);
        var scores = new double[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = (attention * signal[i]) + ((1 - attention) * appeal[i]) + (Noise * Gaussian(Mix(promptHash, Hash(0, prompt.Candidates[i].Id))));
        }

        int[] order = [.. Enumerable.Range(0, scores.Length)];
        Array.Sort(order, (a, b) =>
        {
            int byScore = scores[b].CompareTo(scores[a]);
            return byScore != 0 ? byScore : string.CompareOrdinal(prompt.Candidates[a].Id, prompt.Candidates[b].Id);
        });
        return Write(prompt, order, Uniform(Mix(promptHash, 0x5EED)));
    }

    /// <summary>How much of the ranking follows the user's history rather than surface appeal: 0.5 + fit, clamped to [0.05, 1].</summary>
    internal static double Attention(double fit) => Math.Clamp(BaseAttention + fit, 0.05, 1.0);

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

    private double Signal(string candidate, PromptReading prompt, UserTraits traits)
    {
        int k = prompt.History.Count;
        double sum = 0;
        double weights = 0;
        for (int j = 0; j < k; j++)
        {
            (string id, double rating) = prompt.History[j];
            double w = double.IsNaN(rating) ? 1.0 : (rating - 2.75) / 2.25;
            if (k > traits.BestHistoryCount && j >= 2 && j < k - 3)
            {
                w *= 0.4; // lost in the middle
            }

            sum += w * _similarity.Cosine(candidate, id);
            weights += Math.Abs(w);
        }

        double similarity = weights > 0 ? sum / weights : 0;
        double genre = 0;
        if (k > 0 && _data.Items.TryGetValue(candidate, out RecommendationItem? item) && !item.Genres.IsEmpty)
        {
            foreach (string g in item.Genres)
            {
                genre += (double)prompt.GenreCounts.GetValueOrDefault(g) / k;
            }

            genre /= item.Genres.Length;
        }

        return similarity + (0.1 * genre) + (0.03 * _similarity.LogPopularity(candidate));
    }

    private static double Fit(PromptReading prompt, UserTraits t, int k)
    {
        double b = t.BestHistoryCount;
        double fit = k < b ? -0.25 * Math.Log((b + 1) / (k + 1)) : -LongPenalty * Math.Log((k + 1) / (b + 1));
        if (k > 0)
        {
            fit += prompt.RatingsShown ? 0.4 * (t.RatingSpread - 0.5) : 0;
            fit += (prompt.HighestRatedOrder ? -0.4 : 0.4) * (t.Drift - 0.5);
        }

        string r = prompt.Reasoning;
        if (Has(r, "genre"))
        {
            fit += Match * (t.Concentration - 0.5);
        }
        else if (Has(r, "recent"))
        {
            fit += (prompt.HighestRatedOrder ? 0.5 : 1.0) * Match * (t.Drift - 0.5);
        }
        else if (Has(r, "rating") || Has(r, "rated"))
        {
            fit += (prompt.RatingsShown ? 1.0 : 0.4) * Match * (t.RatingSpread - 0.5);
        }
        else if (Has(r, "step by step"))
        {
            fit += 0.1;
        }
        else if (Has(r, "compare"))
        {
            fit += 0.12 - (0.01 * k);
        }
        else if (Has(r, "popular"))
        {
            fit += Match * (t.Mainstream - 0.5);
        }
        else if (Has(r, "year") || Has(r, " era"))
        {
            fit += Match * (t.EraFocus - 0.5);
        }
        else if (Has(r, "broaden") || Has(r, "unlike"))
        {
            fit -= 0.3;
        }
        else if (Has(r, "overall"))
        {
            fit += 0.04;
        }

        string role = prompt.Role;
        fit += Has(role, "recommender") ? 0.06
            : Has(role, "critic") ? 0.02 + (0.15 * (t.RatingSpread - 0.5))
            : Has(role, "friend") ? 0.02 + (0.1 * (t.Concentration - 0.5))
            : 0;
        fit += prompt.Format switch
        {
            AnswerFormat.TitlesWithReasons => 0.1,
            AnswerFormat.Ids or AnswerFormat.IdTitleLines => 0.02,
            _ => 0,
        };
        fit += 0.05 * prompt.RefinedCount;
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

    private UserTraits Traits(PromptReading prompt)
    {
        if (prompt.History.Count == 0)
        {
            return UserTraits.Neutral;
        }

        int user = _similarity.FindSingleUser([.. prompt.History.Select(h => h.Id)]);
        if (user >= 0)
        {
            return _traits[user];
        }

        return _scale.ToTraits(UserTraitScale.Measure(
            [.. prompt.History.Select(h => _data.Items[h.Id])],
            [.. prompt.History.Select(h => h.Rating)],
            _similarity));
    }

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

        reading.Reasoning = reasoning.ToString();
        foreach (string paragraph in system.Split("\n\n"))
        {
            if (!paragraph.StartsWith("Rank the ", StringComparison.Ordinal) && !paragraph.Contains("<user_data>", StringComparison.Ordinal))
            {
                reading.Role += paragraph + "\n";
            }
        }

        reading.RefinedCount = CountOccurrences(system, RefinementSuffix) + CountOccurrences(user, RefinementSuffix);

        return reading;
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
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

        public bool RatingsShown { get; set; }

        public bool HighestRatedOrder { get; set; }

        public string Reasoning { get; set; } = string.Empty;

        public string Role { get; set; } = string.Empty;

        public AnswerFormat Format { get; set; } = AnswerFormat.Unknown;

        public int RefinedCount { get; set; }

        public string HashedText { get; set; } = string.Empty;
    }
}
