using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime;

/// <summary>An ONNX Runtime session together with the options it was created with and the provider that runs it.</summary>
/// <remarks>Thread-safe for inference; dispose it once, with its owner.</remarks>
public sealed class OnnxSession : IDisposable
{
    private readonly SessionOptions _options;

    internal OnnxSession(InferenceSession session, SessionOptions options, string executionProvider)
    {
        Session = session;
        _options = options;
        ExecutionProvider = executionProvider;
    }

    /// <summary>Gets the ONNX Runtime session.</summary>
    public InferenceSession Session { get; }

    /// <summary>Gets the name of the execution provider that runs the model, e.g. <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Disposes the session and its options.</summary>
    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }
}
