namespace PromptKit.Fuzzing;

/// <summary>An invariant that must hold for every input did not hold: a fuzzing finding.</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FuzzInvariantException"/> class.</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzInvariantException"/> class.</summary>
    /// <param name="message">The invariant that failed.</param>
    public FuzzInvariantException(string message)
        : base($"Invariant broken: {message}.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzInvariantException"/> class.</summary>
    /// <param name="message">The invariant that failed.</param>
    /// <param name="innerException">The cause.</param>
    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The invariant's value for this input.</param>
    /// <param name="invariant">The invariant, in words.</param>
    public static void ThrowIfFalse(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(invariant);
        }
    }
}
