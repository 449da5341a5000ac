using PromptKit.TestUtilities;
using Microsoft.Extensions.AI;
using PromptKit.Samples.Recommendation;
using Xunit.Abstractions;
using PromptKit.Training;

namespace PromptKit.Training.Tests;

/// <summary>
/// Two kinds of test. Requirements: the simulator is deterministic, and its answers depend on nothing the prompt does
/// not show (the data-path leak tests <c>Answer_DoesNotDependOnTheTargetBeyondWhatThePromptShows</c> and
/// <c>Answer_DoesNotReadWhatThePromptDoesNotShow_NobodyIsReidentified</c>: another target label, or other ratings and
/// order of a user's unshown interactions, change no answer). Calibration (<c>Calibration_*</c>): properties the
/// simulator's rules were tuned to have so that prompt learning is measurable on it (prompts matter, users differ,
/// paraphrases count as their sentence, baselines beat random order); they document the simulator, a change of its rules
/// may move them, and they are not requirements of PromptKit.
/// </summary>
public sealed class SimulatedRecommenderChatClientTests(ITestOutputHelper output)
{
    private static readonly Lazy<RecommendationSplit> Split = new(() =>
        RecommendationSplit.Create(MovieLensData.Dataset, new RecommendationSplitOptions { TrainUsers = 0, TestUsers = 100 }));

    private static readonly RppPromptComposer Composer = new(RppActionSpaces.Default);
    private static readonly NdcgReward Ndcg = new(10);

    [Fact]
    public async Task Answer_IsDeterministic_AndHasModelIdAndUsage()
    {
        using var client = new SimulatedRecommenderChatClient(Split.Value.TrainingInteractions);
        RecommendationExample example = Split.Value.Test[0];
        IReadOnlyList<ChatMessage> messages = Composer.ComposeMessages(example, new RppSelection(1, 0, 0, 0), 5);

        ChatResponse first = await client.GetResponseAsync(messages);
        ChatResponse second = await client.GetResponseAsync(messages);

        second.Text.Should().Be(first.Text);
        first.ModelId.Should().Be("simulated-recommender");
        first.Usage!.InputTokenCount.Should().BeGreaterThan(100);
        first.Usage.OutputTokenCount.Should().BeGreaterThan(0);
        Ndcg.Evaluate(first.Text, example.RankingTarget).Parse.MatchedCount.Should().BeGreaterThan(5);
        client.Calls.Should().Be(2);
    }

    [Fact]
    public async Task Streaming_ReturnsTheSameAnswer_Cancellation_Throws()
    {
        using var client = new SimulatedRecommenderChatClient(Split.Value.TrainingInteractions);
        IReadOnlyList<ChatMessage> messages = Composer.ComposeMessages(Split.Value.Test[1], new RppSelection(0, 1, 2, 1), 3);
        ChatResponse response = await client.GetResponseAsync(messages);

        var text = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages))
        {
            text.Append(update.Text);
        }

        text.ToString().Should().Be(response.Text);
        Func<Task> act = () => client.GetResponseAsync(messages, cancellationToken: new CancellationToken(canceled: true));
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Answer_DoesNotDependOnTheTargetBeyondWhatThePromptShows()
    {
        // The same prompt (same history, same candidates in the same order) with another candidate labelled as the
        // held-out target gets the same answer: the simulator sees the prompt only.
        using var client = new SimulatedRecommenderChatClient(Split.Value.TrainingInteractions);
        foreach (RecommendationExample example in Split.Value.Test.Take(20))
        {
            int other = (example.TargetIndex + 1) % example.Candidates.Length;
            var relabelled = new RecommendationExample(example.UserId, example.History, example.HistoryItems, example.Candidates[other], example.Candidates);
            foreach (RppSelection selection in new[] { new RppSelection(1, 2, 0, 1), new RppSelection(2, 9, 4, 1) })
            {
                string a = (await client.GetResponseAsync(Composer.ComposeMessages(example, selection, 8))).Text;
                string b = (await client.GetResponseAsync(Composer.ComposeMessages(relabelled, selection, 8))).Text;

                b.Should().Be(a, "user {0}, {1}", example.UserId, selection);
            }
        }
    }

    [Fact]
    public async Task Answer_DoesNotReadWhatThePromptDoesNotShow_NobodyIsReidentified()
    {
        // The simulator's world knowledge (item similarity, popularity, trait percentiles) uses implicit feedback and
        // every user's last interactions only. Change a test user's older interactions, which the prompt does not show,
        // in ways that leave that knowledge as it is (other ratings, another order): a simulator that looked the user up
        // in its data and measured traits on the full history would answer differently; a fair one cannot.
        RecommendationSplit split = Split.Value;
        InteractionDataset original = split.TrainingInteractions;
        RecommendationExample[] users = [.. split.Test.Where(u => u.History.Length >= 25).Take(10)];
        users.Should().HaveCountGreaterThan(5);
        var changed = new HashSet<string>(users.Select(u => u.UserId), StringComparer.Ordinal);
        var profiles = original.Users.Select(p => changed.Contains(p.UserId) ? Rewrite(p) : p).ToList();
        var altered = new InteractionDataset(original.Items.Values, profiles);
        using var a = new SimulatedRecommenderChatClient(original, seed: 5);
        using var b = new SimulatedRecommenderChatClient(altered, seed: 5);
        int compared = 0;
        foreach (RecommendationExample user in users)
        {
            foreach (RppSelection selection in new[] { new RppSelection(1, 0, 2, 0), new RppSelection(2, 3, 0, 3), new RppSelection(4, 1, 1, 1) })
            {
                IReadOnlyList<ChatMessage> messages = Composer.ComposeMessages(user, selection, 8);
                (await b.GetResponseAsync(messages)).Text.Should().Be((await a.GetResponseAsync(messages)).Text, "user {0}, {1}", user.UserId, selection);
                b.GetAttention(messages).Should().Be(a.GetAttention(messages));
                compared++;
            }
        }

        compared.Should().Be(users.Length * 3);

        // Older half of the history: ratings mirrored (r -> 5.5 - r) and the order reversed; the last 10 stay.
        static UserProfile Rewrite(UserProfile profile)
        {
            UserInteraction[] all = [.. profile.Interactions];
            int older = all.Length - 10;
            var rewritten = new UserInteraction[all.Length];
            for (int i = 0; i < all.Length; i++)
            {
                rewritten[i] = i < older
                    ? new UserInteraction(all[older - 1 - i].ItemId, 5.5 - all[older - 1 - i].Rating, all[i].Timestamp)
                    : all[i];
            }

            return new UserProfile(profile.UserId, rewritten);
        }
    }

    public static TheoryData<int, string> Paraphrases() => new()
    {
        { 0, "Think about which kinds of movie the history holds, and favour candidates of the same categories." },
        { 1, "Look at what the user watched lately; it shows what they like right now." },
        { 2, "Use the scores: candidates similar to the movies this user liked most go first, those similar to poorly scored ones last." },
        { 3, "Reason carefully, one step at a time, before you reply." },
        { 5, "Favour well-known blockbusters that are widely seen." },
        { 6, "Take into account the era and decade of the films the user watches." },
        { 9, "Rank first the candidates that viewers who liked this user's movies also enjoyed." },
    };

    [Theory]
    [MemberData(nameof(Paraphrases))]
    public void Calibration_AParaphraseOfADefaultSentence_WorksAsWellAsTheSentence(int sentence, string paraphrase)
    {
        RppActionSpaces paraphrased = new RppActionSpacesBuilder().AddReasoningGuidance(paraphrase).Build();
        var composer = new RppPromptComposer(paraphrased);
        int added = paraphrased.ReasoningGuidance.Length - 1;
        using var client = new SimulatedRecommenderChatClient(Split.Value.TrainingInteractions);
        int differs = 0;
        foreach (RecommendationExample user in Split.Value.Test.Take(40))
        {
            foreach ((int role, int history) in new[] { (1, 0), (2, 4), (0, 9) })
            {
                double original = client.GetAttention(composer.ComposeMessages(user, new RppSelection(role, history, sentence, 0), 8));
                double rewritten = client.GetAttention(composer.ComposeMessages(user, new RppSelection(role, history, added, 0), 8));
                double other = client.GetAttention(composer.ComposeMessages(user, new RppSelection(role, history, (sentence + 4) % 10, 0), 8));

                rewritten.Should().Be(original, "user {0}: the paraphrase belongs to the same family of words", user.UserId);
                differs += Math.Abs(other - original) > 1e-9 ? 1 : 0;
            }
        }

        differs.Should().BeGreaterThan(0, "another strategy does change the answer, so the equality above is not vacuous");
    }

    [Fact]
    public async Task Refinement_IsForTheShownHistory_AndHelpsOnlyThroughWhatItSays()
    {
        RecommendationSplit split = Split.Value;
        RppActionSpaces spaces = RppActionSpaces.Default;
        using var client = new SimulatedRecommenderChatClient(split.TrainingInteractions);
        var selection = new RppSelection(1, 0, 0, 0);
        int named = 0;
        foreach (RecommendationExample user in split.Test.Take(30))
        {
            var episode = new RppEpisode(user, Composer);
            IReadOnlyList<string> context = episode.GetRefinementContext(selection);
            string sentence = spaces.ReasoningGuidance[0];
            string? refined = RppRefinement.ParseResponse((await client.GetResponseAsync(RppRefinement.CreateRequest(RppPattern.ReasoningGuidance, sentence, context))).Text);
            if (refined is null || RppRefinement.GetRejectionReason(sentence, refined) is not null)
            {
                continue; // the simulated refiner refuses 1 % of requests
            }

            // The refined sentence names the genres this user's shown history holds most...
            string top = context.SelectMany(line => line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)].Split(", "))
                .GroupBy(g => g).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            refined.Should().Contain(top);
            named++;

            // ...and being a refinement earns nothing by itself: the prompt's fit is the original sentence's.
            IReadOnlyList<ChatMessage> plain = Composer.ComposeMessages(user, selection, 3);
            IReadOnlyList<ChatMessage> rewritten = Composer.ComposeMessages(user, selection.WithRefinedText(RppPattern.ReasoningGuidance, refined), 3);
            client.GetAttention(rewritten).Should().Be(client.GetAttention(plain));
        }

        named.Should().BeGreaterThan(20);
    }

    [Fact]
    public void Calibration_BaselinesBeatRandomOrder()
    {
        RecommendationSplit split = Split.Value;
        var similarity = new ItemSimilarity(split.TrainingInteractions);
        var knn = new ItemKnnRecommender(similarity);
        var popularity = new PopularityRecommender(similarity);

        double knnNdcg = split.Test.Average(e => RankingNdcg(knn.Rank(e), e));
        double popNdcg = split.Test.Average(e => RankingNdcg(popularity.Rank(e), e));
        double inputOrder = split.Test.Average(e => RankingNdcg([.. Enumerable.Range(0, e.Candidates.Length)], e));
        output.WriteLine($"NDCG@10 on {split.Test.Length} test users: item-kNN {knnNdcg:F3}, popularity {popNdcg:F3}, candidate order {inputOrder:F3}");

        knnNdcg.Should().BeGreaterThan(inputOrder + 0.1);
        popNdcg.Should().BeGreaterThan(inputOrder + 0.1);
        knn.Rank(split.Test[0]).Should().BeEquivalentTo(Enumerable.Range(0, 10));
    }

    [Fact]
    public async Task Calibration_PromptsMatter_AndDifferentUsersFavourDifferentPrompts()
    {
        RecommendationSplit split = Split.Value;
        RppActionSpaces spaces = RppActionSpaces.Default;
        var random = new Random(7);
        var combos = new List<RppSelection>();
        while (combos.Count < 30)
        {
            var s = new RppSelection(random.Next(spaces.ActionCounts[0]), random.Next(spaces.ActionCounts[1]), random.Next(spaces.ActionCounts[2]), random.Next(spaces.ActionCounts[3]));
            if (!combos.Contains(s))
            {
                combos.Add(s);
            }
        }

        // Seeds 1 and 2 choose (by mean), seed 3 measures, so that choosing by luck of the noise does not count.
        int[] seeds = [1, 2, 3];
        int users = split.Test.Length;
        var ndcg = new double[seeds.Length, users, combos.Count];
        var clients = seeds.Select(seed => new SimulatedRecommenderChatClient(split.TrainingInteractions, seed)).ToArray();
        await Parallel.ForAsync(0, users, async (u, cancellationToken) =>
        {
            RecommendationExample example = split.Test[u];
            for (int c = 0; c < combos.Count; c++)
            {
                int count = Math.Min(spaces.MaxHistoryCount, spaces.InitialHistoryCount + (5 * spaces.HistoryRecords[combos[c].HistoryRecords].ItemsToAdd));
                IReadOnlyList<ChatMessage> messages = Composer.ComposeMessages(example, combos[c], count);
                for (int s = 0; s < seeds.Length; s++)
                {
                    ChatResponse response = await clients[s].GetResponseAsync(messages, cancellationToken: cancellationToken);
                    ndcg[s, u, c] = Ndcg.Compute(response.Text, example.RankingTarget);
                }
            }
        });

        foreach (SimulatedRecommenderChatClient client in clients)
        {
            client.Dispose();
        }

        double Choose(int u, int c) => (ndcg[0, u, c] + ndcg[1, u, c]) / 2;
        double[] meanChoose = [.. Enumerable.Range(0, combos.Count).Select(c => Enumerable.Range(0, users).Average(u => Choose(u, c)))];
        int best = Array.IndexOf(meanChoose, meanChoose.Max());
        int worst = Array.IndexOf(meanChoose, meanChoose.Min());
        double Measured(int c) => Enumerable.Range(0, users).Average(u => ndcg[2, u, c]);
        double randomPrompt = Enumerable.Range(0, combos.Count).Average(Measured);
        int[] perUserBest = [.. Enumerable.Range(0, users).Select(u => Enumerable.Range(0, combos.Count).OrderByDescending(c => Choose(u, c)).ThenBy(c => c == best ? 0 : 1).First())];
        double oracle = Enumerable.Range(0, users).Average(u => ndcg[2, u, perUserBest[u]]);
        double naiveOracle = Enumerable.Range(0, users).Average(u => Enumerable.Range(0, combos.Count).Max(c => ndcg[2, u, c]));
        double differs = perUserBest.Count(c => c != best) / (double)users;

        output.WriteLine($"{users} users x {combos.Count} sampled prompts, NDCG@10 measured with an unseen noise seed:");
        output.WriteLine($"  best fixed  {Measured(best):F3}  ({combos[best]}: {Describe(combos[best])})");
        output.WriteLine($"  worst fixed {Measured(worst):F3}  ({combos[worst]}: {Describe(combos[worst])})");
        output.WriteLine($"  random prompt (mean of the sampled prompts) {randomPrompt:F3}");
        output.WriteLine($"  per-user best (chosen on seeds 1-2) {oracle:F3}; naive per-user max on the same seed {naiveOracle:F3}");
        output.WriteLine($"  users whose best prompt differs from the best fixed one: {differs:P0}; distinct per-user bests: {perUserBest.Distinct().Count()}");

        Measured(best).Should().BeGreaterThan(Measured(worst) + 0.1);
        Measured(best).Should().BeGreaterThan(randomPrompt + 0.03);
        oracle.Should().BeGreaterThan(Measured(best) + 0.03);
        differs.Should().BeGreaterThan(0.3);

        string Describe(RppSelection s) =>
            $"{(spaces.RolePlaying[s.RolePlaying].Length == 0 ? "no role" : spaces.RolePlaying[s.RolePlaying])} | {spaces.HistoryRecords[s.HistoryRecords]} | {spaces.ReasoningGuidance[s.ReasoningGuidance]} | {spaces.OutputFormat[s.OutputFormat]}";
    }

    private static double RankingNdcg(System.Collections.Immutable.ImmutableArray<int> ranking, RecommendationExample example) =>
        RankingMetrics.Ndcg([.. ranking.Select(i => example.RankingTarget.Relevances[i])], 10);
}
