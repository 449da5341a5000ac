namespace PromptKit;

/// <summary>A state-value function: the expected discounted return from an observation (a critic).</summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IValueFunction
{
    /// <summary>Gets the length of the observation vectors the function reads.</summary>
    int ObservationSize { get; }

    /// <summary>Estimates the value of an observation.</summary>
    /// <param name="observation">The observation; its length must be <see cref="ObservationSize"/>.</param>
    /// <returns>The estimated value.</returns>
    /// <exception cref="ArgumentException"><paramref name="observation"/> has the wrong length.</exception>
    float Estimate(ReadOnlySpan<float> observation);
}
