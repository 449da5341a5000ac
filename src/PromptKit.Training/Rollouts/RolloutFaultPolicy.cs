namespace PromptKit.Training;

/// <summary>What a trainer does with a step whose reward could not be computed (<see cref="EnvironmentStep.IsFaulted"/>:
/// the frozen model's call failed, timed out, was filtered, or gave an answer the reward rejects).</summary>
/// <remarks>Every faulted step is counted (<see cref="TrainingProgress.FaultedSteps"/>) and logged; none is ever
/// scored as a real outcome, and none stops the run.</remarks>
public enum RolloutFaultPolicy
{
    /// <summary>Retry the same actions up to the trainer's retry limit; if every retry faults, skip as
    /// <see cref="Skip"/> does.</summary>
    Retry = 0,

    /// <summary>Drop the step: the episode ends at the previous step (bootstrapped from the critic's value of the state,
    /// as a time-limit truncation is) and a new episode starts. The dropped slot carries no weight in the update.</summary>
    Skip = 1,

    /// <summary>Record the step with reward 0 and the state unchanged, and go on with the episode. Simple, but it teaches
    /// the policy that the faulting actions are bad, which is wrong when the fault was the model's, not the prompt's.</summary>
    ZeroReward = 2,
}
