namespace PromptKit.OnnxRuntime;

/// <summary>The exception thrown when an ONNX model file is missing, corrupt or does not have the inputs and outputs PromptKit expects.</summary>
public sealed class ModelLoadException : PromptKitException
{
    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public ModelLoadException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class with a message and the exception that caused it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ModelLoadException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelLoadException"/> class for a model file.</summary>
    /// <param name="message">The message that describes the error; it should name the file.</param>
    /// <param name="modelPath">The path of the model file.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ModelLoadException(string? message, string modelPath, Exception? innerException = null)
        : base(message, innerException)
    {
        ModelPath = modelPath;
    }

    /// <summary>Gets the path of the model file, or <see langword="null"/> when the model was not loaded from a file.</summary>
    public string? ModelPath { get; }
}
