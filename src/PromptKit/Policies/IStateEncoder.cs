namespace PromptKit;

/// <summary>Turns a state (a user, a prompt, a history) into a fixed-length feature vector for a policy or value function.</summary>
/// <typeparam name="TState">The type of state encoded.</typeparam>
/// <remarks>Implementations must be thread-safe and deterministic: the same state always gives the same features.</remarks>
public interface IStateEncoder<in TState>
{
    /// <summary>Gets the length of the feature vectors this encoder writes.</summary>
    int Dimension { get; }

    /// <summary>Encodes <paramref name="state"/> into <paramref name="destination"/>.</summary>
    /// <param name="state">The state.</param>
    /// <param name="destination">The span to write the features into; its length must be <see cref="Dimension"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length <see cref="Dimension"/>.</exception>
    void Encode(TState state, Span<float> destination);
}
