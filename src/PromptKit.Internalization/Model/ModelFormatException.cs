namespace PromptKit.Internalization;

/// <summary>A checkpoint (config, weights or tokenizer files) cannot be used: an unsupported architecture, a missing or
/// misshapen tensor, or a corrupt or truncated file. The message names the file, the tensor and what was expected.</summary>
public sealed class ModelFormatException : PromptKitException
{
    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class.</summary>
    public ModelFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ModelFormatException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ModelFormatException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelFormatException"/> class naming the file.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="path">The file at fault.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public ModelFormatException(string? message, string? path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Gets the file at fault, when known.</summary>
    public string? Path { get; }
}
