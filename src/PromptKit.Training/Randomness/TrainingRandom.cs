using System.Buffers.Binary;
using System.Numerics;

namespace PromptKit.Training;

/// <summary>A seeded <see cref="Random"/> whose complete state can be saved and restored, so that a training run
/// resumed from a checkpoint draws exactly the numbers the uninterrupted run would have drawn.</summary>
/// <remarks>
/// <para>The generator is xoshiro256** (Blackman and Vigna), seeded through SplitMix64 as its authors recommend; it is the
/// algorithm .NET's own unseeded <see cref="Random"/> uses, but <see cref="Random"/> seeded with an integer uses an
/// older algorithm and exposes no state. Doubles take the top 53 bits; bounded integers use Lemire's unbiased
/// multiply-and-reject method.</para>
/// <para>Not thread-safe, like <see cref="Random"/>: give each thread its own instance.</para>
/// </remarks>
public sealed class TrainingRandom : Random
{
    /// <summary>The number of bytes <see cref="GetState"/> writes.</summary>
    public const int StateSize = 32;

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Initializes a new instance of the <see cref="TrainingRandom"/> class from a seed.</summary>
    /// <param name="seed">The seed; equal seeds give equal sequences on every platform.</param>
    public TrainingRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>Initializes a new instance of the <see cref="TrainingRandom"/> class from a saved state.</summary>
    /// <param name="state">A state written by <see cref="GetState"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not <see cref="StateSize"/> bytes or is all zero.</exception>
    public TrainingRandom(ReadOnlySpan<byte> state) => SetState(state);

    /// <summary>Derives a seed for a sub-stream (an environment slot, an episode) from a parent seed and an index, so
    /// that the streams do not overlap in practice and do not depend on the order in which they are created.</summary>
    /// <param name="seed">The parent seed.</param>
    /// <param name="index">The sub-stream's index.</param>
    /// <returns>The derived seed.</returns>
    public static long DeriveSeed(long seed, long index)
    {
        ulong x = unchecked((ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
        return unchecked((long)SplitMix64(ref x));
    }

    /// <summary>Writes the generator's state.</summary>
    /// <param name="destination">At least <see cref="StateSize"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="StateSize"/>.</exception>
    public void GetState(Span<byte> destination)
    {
        if (destination.Length < StateSize)
        {
            throw new ArgumentException($"The destination has {destination.Length} bytes; the state needs {StateSize}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _s3);
    }

    /// <summary>Restores a state written by <see cref="GetState"/>.</summary>
    /// <param name="state">Exactly <see cref="StateSize"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not <see cref="StateSize"/> bytes or is all zero
    /// (a state xoshiro256** never reaches).</exception>
    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException($"The state has {state.Length} bytes; expected {StateSize}.", nameof(state));
        }

        ulong s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        ulong s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        ulong s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        ulong s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("The state is all zero, which is not a valid xoshiro256** state.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>Returns the next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc />
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc />
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <inheritdoc />
    public override int Next() => (int)NextBounded(int.MaxValue);

    /// <inheritdoc />
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)NextBounded((ulong)maxValue);
    }

    /// <inheritdoc />
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = (ulong)((long)maxValue - minValue);
        return range <= 1 ? minValue : (int)(minValue + (long)NextBounded(range));
    }

    /// <inheritdoc />
    public override long NextInt64() => (long)NextBounded(long.MaxValue);

    /// <inheritdoc />
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)NextBounded((ulong)maxValue);
    }

    /// <inheritdoc />
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        ulong range = unchecked((ulong)(maxValue - minValue));
        return range <= 1 ? minValue : unchecked(minValue + (long)NextBounded(range));
    }

    /// <inheritdoc />
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc />
    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, NextUInt64());
            buffer = buffer[8..];
        }

        if (!buffer.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, NextUInt64());
            last[..buffer.Length].CopyTo(buffer);
        }
    }

    /// <inheritdoc />
    protected override double Sample() => NextDouble();

    private ulong NextBounded(ulong bound)
    {
        // Lemire, "Fast Random Integer Generation in an Interval" (2019): unbiased, usually one multiplication.
        ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return high;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
