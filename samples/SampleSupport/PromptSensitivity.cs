using System.Collections.Immutable;
using System.Globalization;

namespace PromptKit.Samples;

/// <summary>Detects a frozen model whose answers do not depend on the prompt (one that echoes the candidates in input
/// order, or a fallback that answers the same whatever it is asked): then no prompt can be learned, and a results
/// table would only measure the model's fixed answer.</summary>
public static class PromptSensitivity
{
    /// <summary>The share of users with the same answer under every prompt above which a run warns.</summary>
    public const double WarnAtShare = 0.9;

    /// <summary>Computes the share of users whose answer (ranking) is the same under every prompt.</summary>
    /// <param name="answersByPrompt">For each prompt, one answer per user (the same users in the same order); a default array is an answer that named no candidate.</param>
    /// <returns>The share in [0, 1]; 0 with fewer than two prompts or no users.</returns>
    /// <exception cref="ArgumentException">The prompts have answers for different numbers of users.</exception>
    public static double ShareOfUsersWithOneAnswer(IReadOnlyList<ImmutableArray<int>[]> answersByPrompt)
    {
        ArgumentNullException.ThrowIfNull(answersByPrompt);
        if (answersByPrompt.Count < 2 || answersByPrompt[0].Length == 0)
        {
            return 0;
        }

        int users = answersByPrompt[0].Length;
        int same = 0;
        for (int u = 0; u < users; u++)
        {
            bool identical = true;
            for (int p = 1; p < answersByPrompt.Count && identical; p++)
            {
                if (answersByPrompt[p].Length != users)
                {
                    throw new ArgumentException($"Prompt {p} has answers for {answersByPrompt[p].Length} users; prompt 0 has {users}.", nameof(answersByPrompt));
                }

                identical = SameAnswer(answersByPrompt[0][u], answersByPrompt[p][u]);
            }

            same += identical ? 1 : 0;
        }

        return same / (double)users;
    }

    /// <summary>Returns the warning to show when the answers do not depend on the prompt, or <see langword="null"/>.</summary>
    /// <param name="answersByPrompt">For each prompt, one answer per user.</param>
    /// <returns>The warning, or <see langword="null"/> when fewer than <see cref="WarnAtShare"/> of the users got one answer.</returns>
    public static string? Warning(IReadOnlyList<ImmutableArray<int>[]> answersByPrompt)
    {
        double share = ShareOfUsersWithOneAnswer(answersByPrompt);
        return share >= WarnAtShare
            ? string.Create(CultureInfo.InvariantCulture, $"the frozen model's answers do not depend on the prompt: {share:P0} of the users got the same ranking under all {answersByPrompt.Count} prompts. Prompt rows below measure the model's fixed answer, not the prompts; check the model (does it echo the prompt?).")
            : null;
    }

    private static bool SameAnswer(ImmutableArray<int> a, ImmutableArray<int> b) =>
        a.IsDefault || b.IsDefault ? a.IsDefault && b.IsDefault : a.AsSpan().SequenceEqual(b.AsSpan());
}
