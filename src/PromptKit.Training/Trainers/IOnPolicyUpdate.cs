using TorchSharp.Modules;

namespace PromptKit.Training;

/// <summary>The algorithm-specific half of an on-policy trainer: how a collected rollout updates the model.</summary>
internal interface IOnPolicyUpdate
{
    /// <summary>Gets the trainer's tag for logs, metrics and checkpoints.</summary>
    string Kind { get; }

    /// <summary>Gets or sets the KL-penalty coefficient (PPO); saved in checkpoints.</summary>
    double KlCoefficient { get; set; }

    /// <summary>Updates the model from the rollout.</summary>
    UpdateStatistics Update(OnPolicyUpdateContext context, CancellationToken cancellationToken);
}

/// <summary>Everything an update may use.</summary>
internal sealed class OnPolicyUpdateContext(
    ActorCriticModel model,
    ActorCriticModel? reference,
    RolloutBuffer buffer,
    RolloutTensors tensors,
    Adam actorOptimizer,
    Adam criticOptimizer,
    TrainingRandom random)
{
    public ActorCriticModel Model { get; } = model;

    public ActorCriticModel? Reference { get; } = reference;

    public RolloutBuffer Buffer { get; } = buffer;

    public RolloutTensors Tensors { get; } = tensors;

    public Adam ActorOptimizer { get; } = actorOptimizer;

    public Adam CriticOptimizer { get; } = criticOptimizer;

    public TrainingRandom Random { get; } = random;

    public void ZeroGradients()
    {
        ActorOptimizer.zero_grad();
        CriticOptimizer.zero_grad();
    }

    public void Step(double maxGradientNorm)
    {
        if (maxGradientNorm > 0)
        {
            TorchSharp.torch.nn.utils.clip_grad_norm_(Model.parameters(), maxGradientNorm);
        }

        ActorOptimizer.step();
        CriticOptimizer.step();
    }
}
