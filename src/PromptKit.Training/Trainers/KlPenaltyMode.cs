namespace PromptKit.Training;

/// <summary>How <see cref="PpoTrainer"/> penalizes the KL divergence from a reference policy (for example the policy
/// after supervised pre-training), so that RL fine-tuning stays close to it.</summary>
public enum KlPenaltyMode
{
    /// <summary>No penalty.</summary>
    None = 0,

    /// <summary>A fixed coefficient β: the loss adds β · KL(π ‖ π_ref).</summary>
    Fixed = 1,

    /// <summary>β adapts after each update toward a target KL, as in the PPO paper (section 4): halved when the
    /// measured KL is below target / 1.5, doubled when above target × 1.5.</summary>
    Adaptive = 2,
}
