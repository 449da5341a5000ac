namespace PromptKit;

/// <summary>The base class of the exceptions that PromptKit defines for conditions callers may want to catch.</summary>
/// <remarks>
/// PromptKit throws the standard argument and state exceptions (<see cref="ArgumentException"/>,
/// <see cref="InvalidOperationException"/>, …) for programming errors; it derives its own exceptions from this class
/// only where a caller needs to handle a domain failure, such as a malformed template.
/// </remarks>
public class PromptKitException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PromptKitException"/> class.</summary>
    public PromptKitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptKitException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PromptKitException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptKitException"/> class with a message and the exception that caused it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PromptKitException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
