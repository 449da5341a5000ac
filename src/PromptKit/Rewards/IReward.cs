namespace PromptKit;

/// <summary>Turns a frozen model's output and a target into a scalar reward.</summary>
/// <typeparam name="TTarget">What the output is compared with: reference texts (<c>IReadOnlyList&lt;string&gt;</c>) for text rewards or ranked candidates for ranking rewards.</typeparam>
/// <remarks>
/// <para>Rewards are deterministic and thread-safe. Text and ranking rewards that PromptKit ships return values in
/// [0, 1] (BLEU and chrF are divided by 100). Combine them with <see cref="WeightedRewardBuilder{TTarget}"/>.</para>
/// <para>A reward scores text the model produced; a failed or malformed model call has no output to score and must be
/// handled before a reward is computed (see <see cref="PromptScorer{TTarget}"/>).</para>
/// </remarks>
public interface IReward<in TTarget>
{
    /// <summary>Gets a short name for logs, metrics and learning curves, e.g. <c>bleu</c> or <c>0.5*bleu+0.5*rougeL</c>.</summary>
    string Name { get; }

    /// <summary>Computes the reward of <paramref name="output"/> against <paramref name="target"/>.</summary>
    /// <param name="output">The model's output text.</param>
    /// <param name="target">The target.</param>
    /// <returns>A finite reward.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not valid for the reward (e.g. no references).</exception>
    double Compute(string output, TTarget target);
}
