using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;

namespace PromptKit.Training;

/// <summary>Settings of <see cref="RppTrainer"/>: the on-policy trainer's settings, held as they are, and the shape of
/// the RPP networks.</summary>
public sealed class RppTrainerOptions
{
    /// <summary>Gets or sets the settings of the on-policy trainer that runs RPP; their type chooses the update rule.</summary>
    /// <value>The default value is <see cref="CreatePaperDefaults"/>: the paper's single actor-critic step.</value>
    /// <remarks>
    /// <para>An <see cref="ActorCriticTrainerOptions"/> runs the paper's one actor-critic step per rollout
    /// (<see cref="ActorCriticTrainer"/>); a <see cref="PpoTrainerOptions"/> runs PPO's clipped steps over several epochs
    /// of minibatches of the same rollout (<see cref="PpoTrainer"/>). <see cref="OnPolicyTrainerOptions.EnvironmentCount"/>
    /// is the number of users' episodes per iteration, <see cref="OnPolicyTrainerOptions.Iterations"/> the number of
    /// iterations, and <see cref="OnPolicyTrainerOptions.CenterAdvantagesPerEpisode"/> centres advantages per user.</para>
    /// <para>RPP runs one whole episode per environment and iteration, so <see cref="RppTrainer"/> sets
    /// <see cref="OnPolicyTrainerOptions.StepsPerEnvironment"/> to the encoder's episode length on its own copy, and caps
    /// <see cref="PpoTrainerOptions.MiniBatchSize"/> at the rollout size; the object given here is not changed.</para>
    /// </remarks>
    [Required]
#pragma warning disable SYSLIB1212 // validated by type in RppTrainerOptionsCrossValidator: the generator cannot see the concrete type
    public OnPolicyTrainerOptions Trainer { get; set; } = CreatePaperDefaults();
#pragma warning restore SYSLIB1212

    /// <summary>Gets or sets the GRU's hidden size in every actor and the critic.</summary>
    /// <value>The default value is 32.</value>
    [Range(1, 4096)]
    public int GruHiddenSize { get; set; } = 32;

    /// <summary>Gets or sets the hidden widths of each network's head after the GRU.</summary>
    /// <value>The default value is [128, 64].</value>
    public ImmutableArray<int> HiddenSizes { get; set; } = [128, 64];

    /// <summary>Creates the trainer settings the RPP paper gives: one actor-critic step per rollout, the TD error
    /// r + γV(s') − V(s) as the advantage (λ = 0), γ = 0.95, actor learning rate 3e-4, critic 5e-4; 8 users per
    /// iteration, 100 iterations, a checkpoint after every iteration (each one costs many model calls).</summary>
    /// <returns>New settings; the caller may change them.</returns>
    public static ActorCriticTrainerOptions CreatePaperDefaults() => new()
    {
        EnvironmentCount = 8,
        Iterations = 100,
        Gamma = 0.95,
        GaeLambda = 0,
        ActorLearningRate = 3e-4,
        CriticLearningRate = 5e-4,
        EntropyCoefficient = 0.01,
        CheckpointInterval = 1,
    };
}
