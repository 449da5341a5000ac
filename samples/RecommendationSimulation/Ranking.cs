using System.Collections.Immutable;

namespace PromptKit.Samples.Recommendation;

/// <summary>Turns scores into a ranking of indices.</summary>
internal static class Ranking
{
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
