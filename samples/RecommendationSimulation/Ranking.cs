using System.Collections.Immutable;

namespace PromptKit.Samples.Recommendation;

/// <summary>Turns scores into a ranking of indices.</summary>
internal static class Ranking
{
    /// <summary>The candidate indices of <paramref name="example"/> by descending <paramref name="score"/> of the candidate id; equal scores keep candidate order.</summary>
    public static ImmutableArray<int> ByCandidateScore(RecommendationExample example, Func<string, double> score)
    {
        ArgumentNullException.ThrowIfNull(example);
        var scores = new double[example.Candidates.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = score(example.Candidates[i].Id);
        }

        return ByScore(scores);
    }

    /// <summary>Indices by descending score; equal scores keep index order.</summary>
    public static ImmutableArray<int> ByScore(double[] scores)
    {
        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byScore = scores[b].CompareTo(scores[a]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        return ImmutableArray.Create(order);
    }
}
