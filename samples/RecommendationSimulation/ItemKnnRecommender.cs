using System.Collections.Immutable;

namespace PromptKit.Samples.Recommendation;

/// <summary>
/// A classic baseline without a language model: item-based k-nearest-neighbours. A candidate's score is the sum of its
/// cosine similarities (<see cref="ItemSimilarity"/>, fitted on the split's training interactions) to every item of the
/// user's whole history.
/// </summary>
/// <remarks>Ties are broken by popularity, then by the candidates' order. Immutable and thread-safe.</remarks>
public sealed class ItemKnnRecommender
{
    private readonly ItemSimilarity _similarity;

    public ItemKnnRecommender(InteractionDataset trainingInteractions)
        : this(new ItemSimilarity(trainingInteractions))
    {
    }

    public ItemKnnRecommender(ItemSimilarity similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        _similarity = similarity;
    }

    /// <summary>Returns the candidate indices of <paramref name="example"/>, best first.</summary>
    public ImmutableArray<int> Rank(RecommendationExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        return Ranking.ByCandidateScore(example, candidate =>
        {
            double sum = 0;
            foreach (UserInteraction interaction in example.History)
            {
                sum += _similarity.Cosine(candidate, interaction.ItemId);
            }

            // Popularity (scaled below any real similarity difference) only breaks ties.
            return sum + (1e-9 * _similarity.LogPopularity(candidate));
        });
    }
}
