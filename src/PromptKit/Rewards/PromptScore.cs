namespace PromptKit;

/// <summary>The outcome of running one prompt through the frozen model and rewarding its output.</summary>
/// <remarks>When the model call did not succeed, or the reward rejected the output as malformed, there is no reward: <see cref="Reward"/> is <see langword="null"/> and <see cref="Evaluation"/> says why. Learners decide what a failure is worth (retry, skip, or a fixed reward); it is never scored as a success.</remarks>
public sealed class PromptScore
{
    internal PromptScore(Prompt prompt, PromptEvaluation evaluation, double? reward, bool isRejected = false)
    {
        Prompt = prompt;
        Evaluation = evaluation;
        Reward = reward;
        IsRejected = isRejected;
    }

    /// <summary>Gets the prompt that was scored.</summary>
    public Prompt Prompt { get; }

    /// <summary>Gets the model call's evaluation (status, text, usage, error).</summary>
    public PromptEvaluation Evaluation { get; }

    /// <summary>Gets the reward of the output, or <see langword="null"/> when the model call did not succeed.</summary>
    public double? Reward { get; }

    /// <summary>Gets a value indicating whether the call succeeded but the reward rejected the output as malformed (see <see cref="IRejectingReward{TTarget}"/>).</summary>
    public bool IsRejected { get; }

    /// <summary>Gets a value indicating whether the call succeeded and the output was rewarded.</summary>
    public bool IsSuccess => Reward.HasValue;
}
