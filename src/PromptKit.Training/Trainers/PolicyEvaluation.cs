using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>The differentiable pieces both on-policy updates need: per-agent log-probabilities of taken actions and
/// entropies under masks, and the exact KL to a reference policy.</summary>
internal static class PolicyEvaluation
{
    /// <summary>Logit given to masked-out actions: finite, so 0 · log p stays 0 in the entropy.</summary>
    private const float MaskedLogit = -1e9f;

    /// <summary>Returns <c>[batch, agents]</c> log-probabilities of <paramref name="actions"/> and entropies.</summary>
    public static (Tensor LogProbabilities, Tensor Entropies) Evaluate(ActorCriticModel model, Tensor observations, Tensor actions, Tensor?[] masks, ActorCriticModel? reference, out Tensor? referenceKl)
    {
        int agents = model.AgentCount;
        var logProbabilities = new Tensor[agents];
        var entropies = new Tensor[agents];
        Tensor? kl = null;
        for (int i = 0; i < agents; i++)
        {
            Tensor logSoftmax = LogSoftmax(model.Logits(i, observations), masks[i]);
            logProbabilities[i] = logSoftmax.gather(1, actions.narrow(1, i, 1)).squeeze(1);
            Tensor p = logSoftmax.exp();
            entropies[i] = -(p * logSoftmax).sum(1);
            if (reference is not null)
            {
                Tensor referenceLog;
                using (no_grad())
                {
                    referenceLog = LogSoftmax(reference.Logits(i, observations), masks[i]);
                }

                Tensor agentKl = (p * (logSoftmax - referenceLog)).sum(1);
                kl = kl is null ? agentKl : kl + agentKl;
            }
        }

        referenceKl = kl;
        return (stack(logProbabilities, 1), stack(entropies, 1));
    }

    /// <summary>The weighted mean Σ w·x / max(Σ w, 1).</summary>
    public static Tensor WeightedMean(Tensor values, Tensor weights, Tensor weightSum) => (values * weights).sum() / weightSum;

    /// <summary>Normalizes advantages to zero weighted mean and unit weighted variance.</summary>
    public static Tensor NormalizeAdvantages(Tensor advantages, Tensor weights, Tensor weightSum)
    {
        Tensor mean = WeightedMean(advantages, weights, weightSum);
        Tensor variance = WeightedMean((advantages - mean).pow(2), weights, weightSum);
        return (advantages - mean) / (variance.sqrt() + 1e-8f);
    }

    /// <summary>Shuffles indices in place (Fisher–Yates, from the last position down).</summary>
    public static void Shuffle(int[] order, TrainingRandom random)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private static Tensor LogSoftmax(Tensor logits, Tensor? mask)
    {
        if (mask is not null)
        {
            logits = logits.masked_fill(mask.logical_not(), MaskedLogit);
        }

        return nn.functional.log_softmax(logits, 1);
    }
}
