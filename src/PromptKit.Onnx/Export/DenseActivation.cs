namespace PromptKit.OnnxRuntime;

/// <summary>The activation applied after a dense layer of an exported policy.</summary>
public enum DenseActivation
{
    /// <summary>No activation (identity); the usual choice for the output layer, whose outputs are logits.</summary>
    None = 0,

    /// <summary>The rectified linear unit, max(0, x) (ONNX <c>Relu</c>).</summary>
    Relu,

    /// <summary>The hyperbolic tangent (ONNX <c>Tanh</c>).</summary>
    Tanh,
}
