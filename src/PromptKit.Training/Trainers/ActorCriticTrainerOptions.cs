namespace PromptKit.Training;

/// <summary>Settings of <see cref="ActorCriticTrainer"/> (synchronous advantage actor-critic, one gradient step per
/// rollout). The inherited defaults apply except <see cref="OnPolicyTrainerOptions.StepsPerEnvironment"/> (5) and
/// <see cref="OnPolicyTrainerOptions.GaeLambda"/> (1, n-step returns), as in Stable-Baselines3's A2C.</summary>
/// <remarks>Set <see cref="OnPolicyTrainerOptions.GaeLambda"/> to 0 for the textbook one-step TD error
/// r + γV(s') − V(s) as the advantage, as Reinforced Prompt Personalization does.</remarks>
public sealed class ActorCriticTrainerOptions : OnPolicyTrainerOptions
{
    /// <summary>Initializes a new instance of the <see cref="ActorCriticTrainerOptions"/> class.</summary>
    public ActorCriticTrainerOptions()
    {
        StepsPerEnvironment = 5;
        GaeLambda = 1.0;
        ActorLearningRate = 7e-4;
        CriticLearningRate = 7e-4;
    }

    /// <summary>Gets or sets a value indicating whether advantages are normalized over each rollout.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool NormalizeAdvantages { get; set; }
}
