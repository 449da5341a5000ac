namespace PromptKit.Training;

/// <summary>A checkpoint or weights file cannot be used: it is truncated, its checksum does not match, it is of another
/// kind or version, or it was written for another model or trainer configuration.</summary>
public sealed class CheckpointException : PromptKitException
{
    /// <summary>Initializes a new instance of the <see cref="CheckpointException"/> class.</summary>
    public CheckpointException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CheckpointException"/> class with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public CheckpointException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CheckpointException"/> class with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The exception that revealed it.</param>
    public CheckpointException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CheckpointException"/> class naming the file.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="path">The file.</param>
    /// <param name="innerException">The exception that revealed it, if any.</param>
    public CheckpointException(string? message, string? path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Gets the path of the file, when known.</summary>
    public string? Path { get; }
}
