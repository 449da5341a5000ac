using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>Draws fresh negatives for an example: the same user, history and held-out item, with new sampled negatives
/// in a new random order — dynamic negative sampling for training, so that a policy cannot learn one fixed candidate
/// set by heart.</summary>
/// <remarks>
/// <para>The negatives are drawn as <see cref="RecommendationSplit.Create"/> draws them: distinct, uniformly from the
/// catalogue items that are neither in the example's history nor its target, and the candidates are shuffled so the
/// target's position is uniform. The number of candidates stays the example's.</para>
/// <para>Use it on training users only: test users keep the split's fixed candidates, so test scores stay comparable.
/// Thread-safe (each call uses the caller's <see cref="Random"/>).</para>
/// </remarks>
public sealed class CandidateResampler
{
    private readonly IReadOnlyDictionary<string, RecommendationItem> _items;
    private readonly ImmutableArray<string> _catalogue;

    /// <summary>Initializes a new instance of the <see cref="CandidateResampler"/> class.</summary>
    /// <param name="catalogue">The data set whose items the negatives come from (for example
    /// <see cref="RecommendationSplit.TrainingInteractions"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalogue"/> is <see langword="null"/>.</exception>
    public CandidateResampler(InteractionDataset catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        _items = catalogue.Items;
        _catalogue = catalogue.ItemIds;
    }

    /// <summary>Returns the example with freshly drawn negatives.</summary>
    /// <param name="example">The example.</param>
    /// <param name="random">The generator that draws the negatives and the order.</param>
    /// <returns>A new example with the same user, history and target, and as many candidates.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The catalogue has too few items outside the example's history and target, or
    /// lacks the target or a history item.</exception>
    public RecommendationExample Resample(RecommendationExample example, Random random)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(random);
        var seen = new HashSet<string>(StringComparer.Ordinal) { example.Target.Id };
        foreach (UserInteraction interaction in example.History)
        {
            seen.Add(interaction.ItemId);
        }

        foreach (string id in seen)
        {
            if (!_items.ContainsKey(id))
            {
                throw new ArgumentException($"User {example.UserId}'s item '{id}' is not in the catalogue; build the resampler from the same data set as the split.", nameof(example));
            }
        }

        int negatives = example.Candidates.Length - 1;
        if (_catalogue.Length - seen.Count < negatives)
        {
            throw new ArgumentException($"User {example.UserId} has {_catalogue.Length - seen.Count} catalogue items outside the history and target; {negatives} negatives are needed.", nameof(example));
        }

        List<RecommendationItem> candidates = RecommendationSplit.DrawCandidates(_items, _catalogue, seen, example.Target, example.Candidates.Length, random);
        return new RecommendationExample(example.UserId, example.History, example.HistoryItems, example.Target, candidates);
    }
}
