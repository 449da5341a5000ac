namespace PromptKit;

/// <summary>A ranking reward together with how the model's answer was parsed.</summary>
/// <param name="Reward">The reward in [0, 1]; 0 when nothing in the answer matched a candidate.</param>
/// <param name="Parse">How the answer was read: matched, omitted, unknown and duplicate items.</param>
public readonly record struct RankingRewardResult(double Reward, RankingParseResult Parse);
