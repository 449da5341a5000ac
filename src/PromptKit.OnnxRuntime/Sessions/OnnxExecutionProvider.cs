namespace PromptKit.OnnxRuntime;

/// <summary>Which ONNX Runtime execution provider runs a model.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>CUDA when the GPU runtime is present (the <c>Microsoft.ML.OnnxRuntime.Gpu</c> package and a GPU), otherwise CPU; the choice and its reason are logged.</summary>
    Auto = 0,

    /// <summary>The CPU provider.</summary>
    Cpu,

    /// <summary>The CUDA provider; fails with <see cref="OnnxProviderUnavailableException"/> when it is not available.</summary>
    Cuda,
}
