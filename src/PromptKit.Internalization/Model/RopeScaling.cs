namespace PromptKit.Internalization;

/// <summary>How rotary position frequencies are rescaled for long contexts (the <c>rope_scaling</c> entry of a Hugging
/// Face <c>config.json</c>). Supported: <c>linear</c> (every frequency divided by <see cref="Factor"/>) and <c>llama3</c>
/// (Llama 3.1's frequency-dependent rescaling with a smooth band between <see cref="HighFrequencyFactor"/> and
/// <see cref="LowFrequencyFactor"/>).</summary>
public sealed class RopeScaling
{
    /// <summary>The type name of linear scaling.</summary>
    public const string Linear = "linear";

    /// <summary>The type name of Llama 3.1's scaling.</summary>
    public const string Llama3 = "llama3";

    /// <summary>Gets the scaling type: <see cref="Linear"/> or <see cref="Llama3"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the factor by which the context is stretched (> 0).</summary>
    public required double Factor { get; init; }

    /// <summary>Gets Llama 3.1's low-frequency factor (wavelengths longer than the original context divided by it are scaled fully).</summary>
    /// <value>The default value is 1.</value>
    public double LowFrequencyFactor { get; init; } = 1.0;

    /// <summary>Gets Llama 3.1's high-frequency factor (wavelengths shorter than the original context divided by it are kept).</summary>
    /// <value>The default value is 4.</value>
    public double HighFrequencyFactor { get; init; } = 4.0;

    /// <summary>Gets the context length the model was pretrained with (Llama 3.1's <c>original_max_position_embeddings</c>).</summary>
    /// <value>The default value is 8192.</value>
    public int OriginalMaxPositionEmbeddings { get; init; } = 8192;
}
