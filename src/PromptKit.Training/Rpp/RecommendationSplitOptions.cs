using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Options of <see cref="RecommendationSplit.Create"/>: how many users go to each part, how many candidates each example has, and the seed.</summary>
public sealed class RecommendationSplitOptions
{
    /// <summary>Gets or sets the number of training users.</summary>
    /// <value>The default value is 200.</value>
    [Range(0, 10_000_000)]
    public int TrainUsers { get; set; } = 200;

    /// <summary>Gets or sets the number of validation users.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 10_000_000)]
    public int ValidationUsers { get; set; }

    /// <summary>Gets or sets the number of test users.</summary>
    /// <value>The default value is 200.</value>
    [Range(0, 10_000_000)]
    public int TestUsers { get; set; } = 200;

    /// <summary>Gets or sets the number of candidates of each example: the held-out target and <c>CandidateCount - 1</c> negatives.</summary>
    /// <value>The default value is 10.</value>
    [Range(2, 10_000)]
    public int CandidateCount { get; set; } = 10;

    /// <summary>Gets or sets the minimum number of history interactions (not counting the held-out target) that makes a user eligible.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 1_000_000)]
    public int MinimumHistory { get; set; } = 5;

    /// <summary>Gets or sets the seed of the user shuffle, the negative sampling and the candidate order.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;
}
