namespace PromptKit;

/// <summary>A reward that can reject an output it cannot score, such as a ranking answer that names no candidate.</summary>
/// <typeparam name="TTarget">What the output is compared with.</typeparam>
/// <remarks><see cref="PromptScorer{TTarget}"/> records a rejected output as such (<see cref="PromptScore.IsRejected"/>, no reward) instead of scoring it as a successful answer worth 0.</remarks>
public interface IRejectingReward<in TTarget> : IReward<TTarget>
{
    /// <summary>Computes the reward, unless the output is malformed for this reward.</summary>
    /// <param name="output">The model's output text.</param>
    /// <param name="target">The target.</param>
    /// <param name="reward">When this method returns <see langword="true"/>, the reward.</param>
    /// <returns><see langword="true"/> if the output could be scored; <see langword="false"/> if it is malformed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    bool TryCompute(string output, TTarget target, out double reward);
}
