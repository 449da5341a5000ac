using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>The frozen model's scores of one rewriter's prompts on a set of examples.</summary>
/// <param name="Scores">One score per example, in input order; a failed call has no reward.</param>
public sealed record RewriteEvaluation(ImmutableArray<PromptScore> Scores)
{
    /// <summary>Gets the number of examples whose call failed or whose answer was rejected.</summary>
    public int Failures
    {
        get
        {
            int failures = 0;
            foreach (PromptScore score in Scores)
            {
                failures += score.IsSuccess ? 0 : 1;
            }

            return failures;
        }
    }

    /// <summary>Gets the mean reward over all examples, a failed one counting 0 (no reward is invented, and none is
    /// dropped to flatter the mean).</summary>
    public double MeanReward
    {
        get
        {
            if (Scores.IsEmpty)
            {
                return 0;
            }

            double sum = 0;
            foreach (PromptScore score in Scores)
            {
                sum += score.Reward ?? 0;
            }

            return sum / Scores.Length;
        }
    }
}
