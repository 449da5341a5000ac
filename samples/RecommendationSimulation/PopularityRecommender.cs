using System.Collections.Immutable;

namespace PromptKit.Samples.Recommendation;

/// <summary>A classic baseline without a language model: ranks candidates by how many training users interacted with them.</summary>
/// <remarks>Ties keep the candidates' order. Immutable and thread-safe.</remarks>
public sealed class PopularityRecommender
{
    private readonly ItemSimilarity _similarity;

    public PopularityRecommender(InteractionDataset trainingInteractions)
        : this(new ItemSimilarity(trainingInteractions))
    {
    }

    public PopularityRecommender(ItemSimilarity similarity)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        _similarity = similarity;
    }

    /// <summary>Returns the candidate indices of <paramref name="example"/>, best first.</summary>
    public ImmutableArray<int> Rank(RecommendationExample example) =>
        Ranking.ByCandidateScore(example, id => _similarity.Popularity(id));
}
