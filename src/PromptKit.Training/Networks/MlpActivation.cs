namespace PromptKit.Training;

/// <summary>The nonlinearity between the hidden layers of an <see cref="MlpNetwork"/>.</summary>
public enum MlpActivation
{
    /// <summary>The hyperbolic tangent, the default of the PPO reference implementations for small MLP policies.</summary>
    Tanh = 0,

    /// <summary>The rectified linear unit, max(0, x).</summary>
    Relu = 1,
}
