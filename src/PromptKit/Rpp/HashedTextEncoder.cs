using System.Numerics.Tensors;

namespace PromptKit;

/// <summary>A dependency-free text encoder: word unigrams and bigrams hashed (FNV-1a, with a sign hash) into a fixed
/// number of buckets, L2-normalized. A stand-in for a sentence-embedding model (such as <c>OnnxTextEncoder</c> over a
/// BERT-style model) where none is available; any <see cref="IStateEncoder{TState}"/> of strings can replace it.</summary>
/// <remarks>Deterministic, thread-safe, no allocation per call. Words are maximal runs of letters or digits, lower-cased
/// (invariant). Empty text encodes as all zeros.</remarks>
public sealed class HashedTextEncoder : IStateEncoder<string>
{
    /// <summary>Initializes a new instance of the <see cref="HashedTextEncoder"/> class.</summary>
    /// <param name="dimension">The number of buckets (output length).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 2.</exception>
    public HashedTextEncoder(int dimension = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        Dimension = dimension;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void Encode(string state, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"The destination has length {destination.Length}; expected {Dimension}.", nameof(destination));
        }

        destination.Clear();
        uint previous = 0;
        bool hasPrevious = false;
        int i = 0;
        while (i < state.Length)
        {
            while (i < state.Length && !char.IsLetterOrDigit(state[i]))
            {
                i++;
            }

            if (i >= state.Length)
            {
                break;
            }

            uint hash = 2166136261;
            while (i < state.Length && char.IsLetterOrDigit(state[i]))
            {
                hash = (hash ^ char.ToLowerInvariant(state[i])) * 16777619;
                i++;
            }

            Add(hash, destination);
            if (hasPrevious)
            {
                Add((previous * 31) ^ hash ^ 0x9E3779B9u, destination);
            }

            previous = hash;
            hasPrevious = true;
        }

        float norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    private void Add(uint hash, Span<float> destination)
    {
        uint mixed = hash * 0x85EBCA6Bu;
        mixed ^= mixed >> 13;
        destination[(int)(mixed % (uint)Dimension)] += (mixed & 0x80000000u) == 0 ? 1f : -1f;
    }
}
