using System.Collections.Immutable;

namespace PromptKit;

/// <summary>One leave-last-out ranking example: a user's history, the held-out next item and the candidates to rank.</summary>
/// <remarks>
/// <para>Immutable and thread-safe. <see cref="Target"/>, <see cref="TargetIndex"/> and the relevance grades of
/// <see cref="RankingTarget"/> are labels: use them only to score an answer, never to build a prompt.</para>
/// </remarks>
public sealed class RecommendationExample
{
    /// <summary>Initializes a new instance of the <see cref="RecommendationExample"/> class.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="history">The interactions before the target, in chronological order.</param>
    /// <param name="historyItems">The item of each history interaction, in the same order.</param>
    /// <param name="target">The held-out item; it must be one of the candidates.</param>
    /// <param name="candidates">The candidates, in the order a prompt lists them; ids must be unique.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty; a list holds <see langword="null"/>; the history lists differ in length or an item does not match its interaction; candidates are empty or repeat an id; or the target is not a candidate.</exception>
    public RecommendationExample(
        string userId,
        IEnumerable<UserInteraction> history,
        IEnumerable<RecommendationItem> historyItems,
        RecommendationItem target,
        IEnumerable<RecommendationItem> candidates)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(historyItems);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(candidates);
        ImmutableArray<UserInteraction> interactions = [.. history];
        ImmutableArray<RecommendationItem> items = [.. historyItems];
        ImmutableArray<RecommendationItem> list = [.. candidates];
        if (items.Length != interactions.Length)
        {
            throw new ArgumentException($"History item count {items.Length} does not match history count {interactions.Length}: pass one item per interaction.", nameof(historyItems));
        }

        for (int i = 0; i < interactions.Length; i++)
        {
            if (interactions[i] is null)
            {
                throw new ArgumentException($"The history interaction at index {i} is null.", nameof(history));
            }

            if (items[i] is null || !string.Equals(items[i].Id, interactions[i].ItemId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The history item at index {i} is not the item '{interactions[i].ItemId}' of the interaction at that index.", nameof(historyItems));
            }
        }

        if (list.IsEmpty)
        {
            throw new ArgumentException("At least one candidate is required.", nameof(candidates));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        int targetIndex = -1;
        for (int i = 0; i < list.Length; i++)
        {
            RecommendationItem candidate = list[i] ?? throw new ArgumentException($"The candidate at index {i} is null.", nameof(candidates));
            if (!ids.Add(candidate.Id))
            {
                throw new ArgumentException($"Candidate id '{candidate.Id}' appears more than once; candidate ids must be unique.", nameof(candidates));
            }

            if (string.Equals(candidate.Id, target.Id, StringComparison.Ordinal))
            {
                targetIndex = i;
            }
        }

        if (targetIndex < 0)
        {
            throw new ArgumentException($"The target '{target.Id}' is not among the candidates; include it.", nameof(target));
        }

        var rankingCandidates = new RankingCandidate[list.Length];
        var relevances = new double[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            rankingCandidates[i] = new RankingCandidate(list[i].Id, list[i].DisplayTitle);
            relevances[i] = i == targetIndex ? 1.0 : 0.0;
        }

        UserId = userId;
        History = interactions;
        HistoryItems = items;
        Target = target;
        Candidates = list;
        TargetIndex = targetIndex;
        RankingTarget = new RankingTarget(rankingCandidates, relevances);
    }

    /// <summary>Gets the user's id.</summary>
    public string UserId { get; }

    /// <summary>Gets the interactions before the target, in chronological order.</summary>
    public ImmutableArray<UserInteraction> History { get; }

    /// <summary>Gets the item of each history interaction, in the order of <see cref="History"/>.</summary>
    public ImmutableArray<RecommendationItem> HistoryItems { get; }

    /// <summary>Gets the held-out item (a label).</summary>
    public RecommendationItem Target { get; }

    /// <summary>Gets the candidates, in the order a prompt lists them.</summary>
    public ImmutableArray<RecommendationItem> Candidates { get; }

    /// <summary>Gets the index of <see cref="Target"/> in <see cref="Candidates"/> (a label).</summary>
    public int TargetIndex { get; }

    /// <summary>Gets the ranking target for <see cref="NdcgReward"/>: the candidates (id and display title), grade 1 for the target and 0 for the others.</summary>
    public RankingTarget RankingTarget { get; }

    /// <inheritdoc/>
    public override string ToString() => $"user {UserId}: {History.Length} history items, {Candidates.Length} candidates";
}
