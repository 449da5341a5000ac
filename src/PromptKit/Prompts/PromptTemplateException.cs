namespace PromptKit;

/// <summary>The exception thrown when a <see cref="PromptTemplate"/> is malformed.</summary>
public sealed class PromptTemplateException : PromptKitException
{
    /// <summary>Initializes a new instance of the <see cref="PromptTemplateException"/> class.</summary>
    public PromptTemplateException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptTemplateException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public PromptTemplateException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptTemplateException"/> class with a message and the exception that caused it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PromptTemplateException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptTemplateException"/> class with a message and the position of the error.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="position">The zero-based character position in the template where the error was found.</param>
    public PromptTemplateException(string? message, int position)
        : base(message)
    {
        Position = position;
    }

    /// <summary>Gets the zero-based character position in the template where the error was found, or -1 when unknown.</summary>
    public int Position { get; } = -1;
}
