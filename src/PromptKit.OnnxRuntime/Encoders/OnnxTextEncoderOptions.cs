using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Options for <see cref="OnnxTextEncoder"/>: the model and vocabulary files, the model's input and output names, tokenization, pooling and batching.</summary>
public sealed class OnnxTextEncoderOptions
{
    /// <summary>Gets or sets the path of the <c>.onnx</c> sentence encoder (a BERT-style model).</summary>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the path of the WordPiece vocabulary (<c>vocab.txt</c>: one token per line, the line number is the id).</summary>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public string? VocabularyPath { get; set; }

    /// <summary>Gets or sets the maximum number of tokens fed to the model for one text, <c>[CLS]</c> and <c>[SEP]</c> included; longer texts are truncated.</summary>
    /// <value>The default value is 256.</value>
    /// <remarks>It must not exceed the number of positions the model was trained with (512 for BERT).</remarks>
    [Range(3, 65_536)]
    public int MaxLength { get; set; } = 256;

    /// <summary>Gets or sets a value indicating whether each embedding is scaled to unit L2 norm.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Normalize { get; set; } = true;

    /// <summary>Gets or sets how the token hidden states are pooled into one vector.</summary>
    /// <value>The default value is <see cref="OnnxTextEncoderPooling.Mean"/>.</value>
    [EnumDataType(typeof(OnnxTextEncoderPooling))]
    public OnnxTextEncoderPooling Pooling { get; set; } = OnnxTextEncoderPooling.Mean;

    /// <summary>Gets or sets a value indicating whether text is lower-cased and stripped of accents before tokenization, as for "uncased" BERT models.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool LowerCase { get; set; } = true;

    /// <summary>Gets or sets the largest number of texts run through the model at once by the batch methods.</summary>
    /// <value>The default value is 32.</value>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the name of the model input that takes the token ids (int64 [batch, sequence]).</summary>
    /// <value>The default value is <c>input_ids</c>.</value>
    [Required]
    public string InputIdsName { get; set; } = "input_ids";

    /// <summary>Gets or sets the name of the model input that takes the attention mask (int64 [batch, sequence]; 1 for tokens, 0 for padding).</summary>
    /// <value>The default value is <c>attention_mask</c>.</value>
    [Required]
    public string AttentionMaskName { get; set; } = "attention_mask";

    /// <summary>Gets or sets the name of the optional model input that takes the token type (segment) ids, fed with zeros when the model has it; <see langword="null"/> never feeds it.</summary>
    /// <value>The default value is <c>token_type_ids</c>.</value>
    public string? TokenTypeIdsName { get; set; } = "token_type_ids";

    /// <summary>Gets or sets the name of the model output that holds the token hidden states (float [batch, sequence, hidden]).</summary>
    /// <value>The default value is <c>last_hidden_state</c>.</value>
    [Required]
    public string OutputName { get; set; } = "last_hidden_state";

    /// <summary>Gets or sets how the ONNX Runtime session is created (execution provider, threads, optimization).</summary>
    /// <value>The default value is a new <see cref="OnnxSessionOptions"/>: automatic provider choice.</value>
    [Required]
    [ValidateObjectMembers]
    public OnnxSessionOptions Session { get; set; } = new();
}
