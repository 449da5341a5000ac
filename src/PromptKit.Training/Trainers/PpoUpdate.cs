using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>The PPO update (Schulman et al., 2017) as CleanRL and Stable-Baselines3 implement it: several epochs over
/// shuffled minibatches, the clipped surrogate per agent (MAPPO-style for several agents), optional value clipping,
/// per-minibatch advantage normalization, an entropy bonus, global gradient-norm clipping, an approximate-KL early
/// stop and an optional fixed or adaptive KL penalty to a reference policy.</summary>
internal sealed class PpoUpdate(PpoTrainerOptions options, ILogger logger) : IOnPolicyUpdate
{
    public string Kind => "ppo";

    public double KlCoefficient { get; set; } = options.KlPenalty == KlPenaltyMode.None ? 0 : options.KlCoefficient;

    public UpdateStatistics Update(OnPolicyUpdateContext context, CancellationToken cancellationToken)
    {
        RolloutTensors data = context.Tensors;
        int size = data.Size;
        int miniBatch = options.MiniBatchSize;
        int[] order = new int[size];
        for (int i = 0; i < size; i++)
        {
            order[i] = i;
        }

        double policySum = 0, valueSum = 0, entropySum = 0, klSum = 0, clipSum = 0, referenceKlSum = 0;
        int steps = 0, epochsRun = 0;
        bool stop = false;
        bool penalize = options.KlPenalty != KlPenaltyMode.None && context.Reference is not null;
        for (int epoch = 0; epoch < options.Epochs && !stop; epoch++)
        {
            PolicyEvaluation.Shuffle(order, context.Random);
            using Tensor permutation = tensor(order, ScalarType.Int64);
            epochsRun++;
            for (int start = 0, batchIndex = 0; start < size; start += miniBatch, batchIndex++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(miniBatch, size - start);
                using var scope = NewDisposeScope();
                Tensor index = permutation.narrow(0, start, count);
                Tensor weights = data.Weights.index_select(0, index);
                Tensor totalWeight = weights.sum();
                if (totalWeight.item<float>() == 0)
                {
                    continue;
                }

                Tensor weightSum = totalWeight.clamp_min(1f);

                Tensor observations = data.Observations.index_select(0, index);
                Tensor actions = data.Actions.index_select(0, index);
                Tensor oldLog = data.LogProbabilities.index_select(0, index);
                Tensor oldValues = data.Values.index_select(0, index);
                Tensor returns = data.Returns.index_select(0, index);
                Tensor advantages = data.Advantages.index_select(0, index);
                var masks = new Tensor?[data.Masks.Length];
                for (int i = 0; i < masks.Length; i++)
                {
                    masks[i] = data.Masks[i]?.index_select(0, index);
                }

                if (options.NormalizeAdvantages && count > 1)
                {
                    advantages = PolicyEvaluation.NormalizeAdvantages(advantages, weights, weightSum);
                }

                (Tensor newLog, Tensor entropy) = PolicyEvaluation.Evaluate(context.Model, observations, actions, masks, penalize ? context.Reference : null, out Tensor? referenceKl);
                Tensor logRatio = newLog - oldLog;
                Tensor ratio = logRatio.exp();
                Tensor advantage = advantages.unsqueeze(1);
                Tensor surrogate = torch.max(-advantage * ratio, -advantage * ratio.clamp(1 - options.ClipRange, 1 + options.ClipRange));
                Tensor policyLoss = PolicyEvaluation.WeightedMean(surrogate.sum(1), weights, weightSum);
                Tensor values = context.Model.Values(observations);
                Tensor valueError = (values - returns).pow(2);
                if (options.ValueClipRange is double valueClip)
                {
                    Tensor clipped = oldValues + (values - oldValues).clamp(-valueClip, valueClip);
                    valueError = torch.max(valueError, (clipped - returns).pow(2));
                }

                Tensor valueLoss = 0.5f * PolicyEvaluation.WeightedMean(valueError, weights, weightSum);
                Tensor entropyMean = PolicyEvaluation.WeightedMean(entropy.sum(1), weights, weightSum);
                Tensor loss = policyLoss - (options.EntropyCoefficient * entropyMean) + (options.ValueCoefficient * valueLoss);
                if (referenceKl is not null)
                {
                    Tensor meanReferenceKl = PolicyEvaluation.WeightedMean(referenceKl, weights, weightSum);
                    loss += KlCoefficient * meanReferenceKl;
                    referenceKlSum += meanReferenceKl.item<float>();
                }

                context.ZeroGradients();
                loss.backward();
                context.Step(options.MaxGradientNorm);

                double approxKl;
                using (no_grad())
                {
                    approxKl = PolicyEvaluation.WeightedMean(((ratio - 1) - logRatio).sum(1), weights, weightSum).item<float>();
                    Tensor clippedShare = ((ratio - 1).abs() > options.ClipRange).to_type(ScalarType.Float32).mean(new long[] { 1 });
                    clipSum += PolicyEvaluation.WeightedMean(clippedShare, weights, weightSum).item<float>();
                }

                policySum += policyLoss.item<float>();
                valueSum += valueLoss.item<float>();
                entropySum += entropyMean.item<float>();
                klSum += approxKl;
                steps++;
                if (options.TargetKl is double target && approxKl > 1.5 * target)
                {
                    TrainingLog.EarlyStop(logger, Kind, epoch + 1, batchIndex + 1, approxKl, target);
                    stop = true;
                    break;
                }
            }
        }

        double? meanReferenceKlOverUpdate = penalize && steps > 0 ? referenceKlSum / steps : null;
        if (options.KlPenalty == KlPenaltyMode.Adaptive && meanReferenceKlOverUpdate is double measured)
        {
            if (measured < options.KlTarget / 1.5)
            {
                KlCoefficient /= 2;
            }
            else if (measured > options.KlTarget * 1.5)
            {
                KlCoefficient *= 2;
            }
        }

        int n = Math.Max(steps, 1);
        return new UpdateStatistics(policySum / n, valueSum / n, entropySum / n, klSum / n, clipSum / n, meanReferenceKlOverUpdate, epochsRun);
    }

}
