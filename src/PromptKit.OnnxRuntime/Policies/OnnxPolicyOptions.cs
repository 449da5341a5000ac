using System.ComponentModel.DataAnnotations;

namespace PromptKit.OnnxRuntime;

/// <summary>How <see cref="OnnxPolicy"/> finds the observation input and logits output of an actor model, and how its session is created.</summary>
public sealed class OnnxPolicyOptions
{
    /// <summary>Gets or sets the name of the model input that takes the observations, float [batch, observation size].</summary>
    /// <value>The default value is <c>"observation"</c>, the name <see cref="OnnxPolicyExporter"/> writes by default.</value>
    [Required]
    public string InputName { get; set; } = "observation";

    /// <summary>Gets or sets the name of the model output that holds the logits, float [batch, action count].</summary>
    /// <value>The default value is <c>"logits"</c>, the name <see cref="OnnxPolicyExporter"/> writes by default.</value>
    [Required]
    public string OutputName { get; set; } = "logits";

    /// <summary>Gets or sets how the ONNX Runtime session is created (execution provider, threads, optimization).</summary>
    /// <value>The default value is a new <see cref="OnnxSessionOptions"/> (automatic provider choice).</value>
    [Required]
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public OnnxSessionOptions Session { get; set; } = new();
}
