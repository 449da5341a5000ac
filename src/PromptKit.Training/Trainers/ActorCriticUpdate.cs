using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>The synchronous advantage actor-critic update (A2C; Mnih et al., 2016): one gradient step per rollout on
/// −Σ_agents log π_i(a_i | s) · A − c_H · H + c_V · ½ (R − V(s))², with A from GAE(λ) (λ = 0: the TD error).</summary>
internal sealed class ActorCriticUpdate(ActorCriticTrainerOptions options) : IOnPolicyUpdate
{
    public string Kind => "actor-critic";

    public double KlCoefficient { get; set; }

    public UpdateStatistics Update(OnPolicyUpdateContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RolloutTensors data = context.Tensors;
        using var scope = NewDisposeScope();
        Tensor weights = data.Weights;
        Tensor weightSum = weights.sum().clamp_min(1f);
        Tensor advantages = data.Advantages;
        if (options.NormalizeAdvantages && data.Size > 1)
        {
            advantages = PolicyEvaluation.NormalizeAdvantages(advantages, weights, weightSum);
        }

        (Tensor logProbabilities, Tensor entropy) = PolicyEvaluation.Evaluate(context.Model, data.Observations, data.Actions, data.Masks, null, out _);
        Tensor policyLoss = -PolicyEvaluation.WeightedMean(logProbabilities.sum(1) * advantages, weights, weightSum);
        Tensor values = context.Model.Values(data.Observations);
        Tensor valueLoss = 0.5f * PolicyEvaluation.WeightedMean((values - data.Returns).pow(2), weights, weightSum);
        Tensor entropyMean = PolicyEvaluation.WeightedMean(entropy.sum(1), weights, weightSum);
        Tensor loss = policyLoss - (options.EntropyCoefficient * entropyMean) + (options.ValueCoefficient * valueLoss);
        context.ZeroGradients();
        loss.backward();
        context.Step(options.MaxGradientNorm);

        double approxKl;
        using (no_grad())
        {
            (Tensor after, _) = PolicyEvaluation.Evaluate(context.Model, data.Observations, data.Actions, data.Masks, null, out _);
            Tensor logRatio = after - data.LogProbabilities;
            approxKl = PolicyEvaluation.WeightedMean(((logRatio.exp() - 1) - logRatio).sum(1), weights, weightSum).item<float>();
        }

        return new UpdateStatistics(policyLoss.item<float>(), valueLoss.item<float>(), entropyMean.item<float>(), approxKl, 0, null, 1);
    }
}
