namespace PromptKit.OnnxRuntime;

/// <summary>Names and metadata that <see cref="OnnxPolicyExporter"/> writes into an exported model.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Gets or sets the name of the observation input of a feed-forward model, shape [batch, observation size].</summary>
    /// <value>The default value is <c>"observation"</c>, which <c>OnnxPolicyOptions.InputName</c> (PromptKit.OnnxRuntime) expects by default.</value>
    public string ObservationInputName { get; set; } = "observation";

    /// <summary>Gets or sets the name of the sequence input of a GRU model, shape [batch, sequence length, features].</summary>
    /// <value>The default value is <c>"sequence"</c>.</value>
    public string SequenceInputName { get; set; } = "sequence";

    /// <summary>Gets or sets a value indicating whether a GRU model gets a second input with the valid length of each sequence in the batch (int32, shape [batch]); without it every sequence uses the full length.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeSequenceLengths { get; set; }

    /// <summary>Gets or sets the name of the sequence-lengths input written when <see cref="IncludeSequenceLengths"/> is set.</summary>
    /// <value>The default value is <c>"sequence_lengths"</c>.</value>
    public string SequenceLengthsInputName { get; set; } = "sequence_lengths";

    /// <summary>Gets or sets the name of the logits output of an actor, shape [batch, action count].</summary>
    /// <value>The default value is <c>"logits"</c>, which <c>OnnxPolicyOptions.OutputName</c> (PromptKit.OnnxRuntime) expects by default.</value>
    public string LogitsOutputName { get; set; } = "logits";

    /// <summary>Gets or sets the name of the softmax output of an actor, shape [batch, action count]; <see langword="null"/> or empty leaves it out.</summary>
    /// <value>The default value is <c>"probabilities"</c>.</value>
    public string? ProbabilitiesOutputName { get; set; } = "probabilities";

    /// <summary>Gets or sets the name of the output of a value function (critic), shape [batch, 1].</summary>
    /// <value>The default value is <c>"value"</c>.</value>
    public string ValueOutputName { get; set; } = "value";

    /// <summary>Gets or sets the name of the graph.</summary>
    /// <value>The default value is <c>"promptkit_policy"</c>.</value>
    public string GraphName { get; set; } = "promptkit_policy";

    /// <summary>Gets or sets the model version written into the file (ONNX <c>model_version</c>).</summary>
    /// <value>The default value is 1.</value>
    public long ModelVersion { get; set; } = 1;

    /// <summary>Gets or sets a description written into the file (ONNX <c>doc_string</c>), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Description { get; set; }

    /// <summary>Gets metadata written into the file (ONNX <c>metadata_props</c>), readable through <c>InferenceSession.ModelMetadata.CustomMetadataMap</c>.</summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
