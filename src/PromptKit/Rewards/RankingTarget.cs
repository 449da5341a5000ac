using System.Collections.Immutable;

namespace PromptKit;

/// <summary>The target of a ranking reward: the candidates the model was asked to rank and how relevant each one is.</summary>
/// <remarks>Immutable. Relevance grades are judged labels (e.g. 1 for the user's held-out item, 0 for sampled negatives); they are used only to compute the reward after the model answered, never to build the prompt.</remarks>
public sealed class RankingTarget
{
    /// <summary>Initializes a new instance of the <see cref="RankingTarget"/> class.</summary>
    /// <param name="candidates">The candidates, in the order the prompt listed them.</param>
    /// <param name="relevances">One non-negative, finite grade per candidate.</param>
    /// <exception cref="ArgumentNullException"><paramref name="candidates"/> or <paramref name="relevances"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, a candidate is <see langword="null"/>, or a grade is negative, NaN or infinite.</exception>
    public RankingTarget(IEnumerable<RankingCandidate> candidates, IEnumerable<double> relevances)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(relevances);
        ImmutableArray<RankingCandidate> list = [.. candidates];
        ImmutableArray<double> grades = [.. relevances];
        if (list.IsEmpty)
        {
            throw new ArgumentException("At least one candidate is required.", nameof(candidates));
        }

        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The candidate at index {i} is null.", nameof(candidates));
            }
        }

        if (grades.Length != list.Length)
        {
            throw new ArgumentException($"Relevance count {grades.Length} does not match candidate count {list.Length}: pass one grade per candidate.", nameof(relevances));
        }

        for (int i = 0; i < grades.Length; i++)
        {
            if (!double.IsFinite(grades[i]) || grades[i] < 0)
            {
                throw new ArgumentException($"Relevance at index {i} is {grades[i]}; grades must be finite and non-negative.", nameof(relevances));
            }
        }

        Candidates = list;
        Relevances = grades;
    }

    /// <summary>Gets the candidates, in the order the prompt listed them.</summary>
    public ImmutableArray<RankingCandidate> Candidates { get; }

    /// <summary>Gets the relevance grade of each candidate.</summary>
    public ImmutableArray<double> Relevances { get; }
}
