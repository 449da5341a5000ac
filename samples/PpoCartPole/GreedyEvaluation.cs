namespace PromptKit.Samples.PpoCartPole;

/// <summary>Runs the arg-max policy on fresh CartPole episodes.</summary>
internal static class GreedyEvaluation
{
    public static async Task<EvaluationResult> RunAsync(IDiscretePolicy policy, int episodes, long seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(episodes);
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        float[] logits = new float[policy.ActionCount];
        int[] action = new int[1];
        for (int episode = 0; episode < episodes; episode++)
        {
            var environment = new CartPoleEnvironment(CartPoleTraining.EvaluationSeed(seed, episode));
            EnvironmentStep step = await environment.ResetAsync(cancellationToken).ConfigureAwait(false);
            double episodeReturn = 0;
            while (!step.IsDone)
            {
                policy.ComputeLogits(step.Observation.AsSpan(), logits);
                action[0] = PolicyMath.ArgMax(logits);
                step = await environment.StepAsync(action, cancellationToken).ConfigureAwait(false);
                episodeReturn += step.Reward;
            }

            sum += episodeReturn;
            min = Math.Min(min, episodeReturn);
            max = Math.Max(max, episodeReturn);
        }

        return new EvaluationResult(episodes, sum / episodes, min, max);
    }
}

/// <summary>The returns of an evaluation.</summary>
internal sealed record EvaluationResult(int Episodes, double MeanReturn, double MinReturn, double MaxReturn);
