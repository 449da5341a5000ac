using System.Numerics.Tensors;

namespace PromptKit;

/// <summary>Numerically stable operations on the logits of a discrete distribution, with optional action masks.</summary>
/// <remarks>
/// <para>A mask marks the allowed actions with <see langword="true"/>; masked-out actions get probability 0 and are never
/// chosen. At least one action must be allowed. Work is done in log space (log-softmax) with
/// <see cref="TensorPrimitives"/>; nothing is allocated.</para>
/// </remarks>
public static class PolicyMath
{
    /// <summary>Writes the probabilities of <paramref name="logits"/> into <paramref name="destination"/> (softmax, masked actions 0).</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="destination">The span to write to; at least as long as <paramref name="logits"/>.</param>
    /// <param name="mask">The allowed actions, or empty for all; when not empty, as long as <paramref name="logits"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; a span has the wrong length; or the mask allows no action.</exception>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> destination, ReadOnlySpan<bool> mask = default)
    {
        Validate(logits, mask);
        if (destination.Length < logits.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} is shorter than logits length {logits.Length}.", nameof(destination));
        }

        Span<float> output = destination[..logits.Length];
        if (mask.IsEmpty)
        {
            TensorPrimitives.SoftMax(logits, output);
            return;
        }

        float max = MaskedMax(logits, mask);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = mask[i] ? MathF.Exp(logits[i] - max) : 0f;
            output[i] = e;
            sum += e;
        }

        float inverse = (float)(1.0 / sum);
        TensorPrimitives.Multiply(output, inverse, output);
    }

    /// <summary>Writes the log-probabilities of <paramref name="logits"/> into <paramref name="destination"/> (masked actions get negative infinity).</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="destination">The span to write to; at least as long as <paramref name="logits"/>.</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; a span has the wrong length; or the mask allows no action.</exception>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> destination, ReadOnlySpan<bool> mask = default)
    {
        Validate(logits, mask);
        if (destination.Length < logits.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} is shorter than logits length {logits.Length}.", nameof(destination));
        }

        float logSumExp = LogSumExp(logits, mask);
        for (int i = 0; i < logits.Length; i++)
        {
            destination[i] = mask.IsEmpty || mask[i] ? logits[i] - logSumExp : float.NegativeInfinity;
        }
    }

    /// <summary>Returns the log-probability of one action.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="action">The action index.</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <returns>The log-probability; negative infinity for a masked-out action.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; the mask has the wrong length or allows no action.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="action"/> is not a valid index.</exception>
    public static float LogProbability(ReadOnlySpan<float> logits, int action, ReadOnlySpan<bool> mask = default)
    {
        Validate(logits, mask);
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, logits.Length);
        return !mask.IsEmpty && !mask[action] ? float.NegativeInfinity : logits[action] - LogSumExp(logits, mask);
    }

    /// <summary>Returns the entropy, in nats, of the distribution.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <returns>The entropy: 0 for a certain choice, ln(n) for a uniform choice among n actions.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; the mask has the wrong length or allows no action.</exception>
    public static float Entropy(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask = default)
    {
        Validate(logits, mask);
        float logSumExp = LogSumExp(logits, mask);
        double entropy = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask.IsEmpty || mask[i])
            {
                double logP = logits[i] - logSumExp;
                entropy -= Math.Exp(logP) * logP;
            }
        }

        return (float)entropy;
    }

    /// <summary>Returns the most probable allowed action; the lowest index on ties.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <returns>The action index.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; the mask has the wrong length or allows no action.</exception>
    public static int ArgMax(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask = default)
    {
        Validate(logits, mask);
        if (mask.IsEmpty)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        int best = -1;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask[i] && (best < 0 || logits[i] > logits[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Samples an action from the distribution.</summary>
    /// <param name="logits">The logits.</param>
    /// <param name="random">The random source (seed it for reproducible runs).</param>
    /// <param name="mask">The allowed actions, or empty for all.</param>
    /// <returns>The sampled action index; never a masked-out action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds NaN or infinity; the mask has the wrong length or allows no action.</exception>
    public static int Sample(ReadOnlySpan<float> logits, Random random, ReadOnlySpan<bool> mask = default)
    {
        ArgumentNullException.ThrowIfNull(random);
        Validate(logits, mask);
        float max = mask.IsEmpty ? TensorPrimitives.Max(logits) : MaskedMax(logits, mask);
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask.IsEmpty || mask[i])
            {
                total += Math.Exp(logits[i] - max);
            }
        }

        double u = random.NextDouble() * total;
        int last = -1;
        for (int i = 0; i < logits.Length; i++)
        {
            if (!mask.IsEmpty && !mask[i])
            {
                continue;
            }

            last = i;
            u -= Math.Exp(logits[i] - max);
            if (u < 0)
            {
                return i;
            }
        }

        return last; // rounding left u >= 0: the last allowed action
    }

    private static float LogSumExp(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask)
    {
        float max = mask.IsEmpty ? TensorPrimitives.Max(logits) : MaskedMax(logits, mask);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask.IsEmpty || mask[i])
            {
                sum += Math.Exp(logits[i] - max);
            }
        }

        return max + (float)Math.Log(sum);
    }

    private static float MaskedMax(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask[i] && logits[i] > max)
            {
                max = logits[i];
            }
        }

        return max;
    }

    private static void Validate(ReadOnlySpan<float> logits, ReadOnlySpan<bool> mask)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("Logits are empty: a discrete distribution needs at least one action.", nameof(logits));
        }

        for (int i = 0; i < logits.Length; i++)
        {
            if (!float.IsFinite(logits[i]))
            {
                throw new ArgumentException($"Logit at index {i} is {logits[i]}; logits must be finite numbers. Mask actions out with the mask instead.", nameof(logits));
            }
        }

        if (mask.IsEmpty)
        {
            return;
        }

        if (mask.Length != logits.Length)
        {
            throw new ArgumentException($"Mask length {mask.Length} does not match logits length {logits.Length}.", nameof(mask));
        }

        if (!mask.Contains(true))
        {
            throw new ArgumentException("The mask allows no action: at least one entry must be true.", nameof(mask));
        }
    }
}
