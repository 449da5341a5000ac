namespace PromptKit;

/// <summary>How a discrete policy's distribution is turned into one action.</summary>
public enum ActionSelection
{
    /// <summary>Sample from the distribution (exploration; training rollouts).</summary>
    Sample = 0,

    /// <summary>Take the most probable action, lowest index on ties (evaluation and inference).</summary>
    Greedy,
}
