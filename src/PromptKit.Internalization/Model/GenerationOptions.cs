using System.ComponentModel.DataAnnotations;

namespace PromptKit.Internalization;

/// <summary>How <see cref="CausalLanguageModel.Generate"/> continues a sequence.</summary>
public sealed class GenerationOptions
{
    /// <summary>Gets or sets the most tokens to generate.</summary>
    /// <value>The default value is 128.</value>
    [Range(1, 1_000_000)]
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>Gets or sets the sampling temperature; 0 is greedy (argmax).</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 100.0)]
    public double Temperature { get; set; }

    /// <summary>Gets or sets the seed of sampling (ignored when greedy).</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets the token ids that end generation (the token is included in the result). When empty, the model config's end-of-sequence ids are used.</summary>
    public IList<int> StopTokenIds { get; } = [];
}
