using System.Collections.Immutable;

namespace PromptKit.TestUtilities.Faults;

/// <summary>Decides, for each request, which fault <see cref="FaultInjectionServer"/> injects. Deterministic: the decision
/// depends only on the request body, the number of times the same body arrived before (the attempt) and a seed, never
/// on arrival order, so concurrent clients meet the same faults in every run.</summary>
public sealed class FaultSchedule
{
    private readonly Func<ulong, int, FaultKind> _decide;

    private FaultSchedule(Func<ulong, int, FaultKind> decide) => _decide = decide;

    /// <summary>Gets a schedule that never injects a fault.</summary>
    public static FaultSchedule None { get; } = new((_, _) => FaultKind.None);

    /// <summary>Creates a schedule that injects a fault into about <paramref name="rate"/> of the requests, the kind drawn evenly from <paramref name="kinds"/>.</summary>
    /// <param name="rate">The share of faulted requests, in [0, 1].</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <param name="kinds">The fault kinds to draw from; at least one, none of them <see cref="FaultKind.None"/>.</param>
    /// <returns>The schedule.</returns>
    public static FaultSchedule Random(double rate, int seed, params FaultKind[] kinds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1.0);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Length == 0 || Array.IndexOf(kinds, FaultKind.None) >= 0)
        {
            throw new ArgumentException("Pass at least one fault kind, and not FaultKind.None.", nameof(kinds));
        }

        ImmutableArray<FaultKind> choices = [.. kinds];
        return new FaultSchedule((bodyHash, attempt) =>
        {
            ulong h = Mix(bodyHash ^ Mix(((ulong)(uint)seed << 32) | (uint)attempt));
            double u = (h >> 11) * (1.0 / (1UL << 53));
            return u < rate ? choices[(int)(Mix(h) % (ulong)choices.Length)] : FaultKind.None;
        });
    }

    /// <summary>Creates a schedule from a rule over the body hash and the attempt number.</summary>
    /// <param name="decide">The rule: body hash, attempt (0 for the first time a body arrives) → fault.</param>
    /// <returns>The schedule.</returns>
    public static FaultSchedule From(Func<ulong, int, FaultKind> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new FaultSchedule(decide);
    }

    /// <summary>Gets the fault for one request.</summary>
    /// <param name="bodyHash">The hash of the request body.</param>
    /// <param name="attempt">How many times the same body arrived before.</param>
    /// <returns>The fault to inject.</returns>
    public FaultKind Decide(ulong bodyHash, int attempt) => _decide(bodyHash, attempt);

    /// <summary>A 64-bit hash of a body (FNV-1a).</summary>
    /// <param name="body">The request body.</param>
    /// <returns>The hash.</returns>
    public static ulong Hash(ReadOnlySpan<byte> body)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in body)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return h;
    }

    // SplitMix64's finalizer.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
