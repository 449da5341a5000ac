namespace PromptKit.OnnxRuntime;

/// <summary>The exception thrown when an execution provider was requested explicitly but this process cannot use it.</summary>
public sealed class OnnxProviderUnavailableException : PromptKitException
{
    /// <summary>Initializes a new instance of the <see cref="OnnxProviderUnavailableException"/> class.</summary>
    public OnnxProviderUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxProviderUnavailableException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public OnnxProviderUnavailableException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxProviderUnavailableException"/> class with a message and the exception that caused it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public OnnxProviderUnavailableException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
