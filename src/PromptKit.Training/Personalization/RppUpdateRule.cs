namespace PromptKit.Training;

/// <summary>How <see cref="RppTrainer"/> turns each rollout of episodes into network updates.</summary>
public enum RppUpdateRule
{
    /// <summary>One actor-critic gradient step per rollout on the TD-error advantages, as the RPP paper trains
    /// (<see cref="ActorCriticTrainer"/>).</summary>
    ActorCritic,

    /// <summary>Proximal policy optimization on the same advantages: several epochs of clipped minibatch steps per
    /// rollout (<see cref="PpoTrainer"/>), which gets more out of each costly rollout of model calls.</summary>
    Ppo,
}
