using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace PromptKit.OnnxRuntime;

/// <summary>Options for <see cref="OnnxChatClient"/>: the decoder-only model, its tokenizer and chat template, generation limits and the model's tensor names.</summary>
/// <remarks>
/// The default tensor names are the ones Hugging Face Optimum writes for a <c>text-generation-with-past</c> export:
/// inputs <c>input_ids</c>, <c>attention_mask</c>, optional <c>position_ids</c> and <c>past_key_values.{i}.key/value</c>;
/// outputs <c>logits</c> and <c>present.{i}.key/value</c>. The client reads the values once, when it is created.
/// </remarks>
public sealed class OnnxChatClientOptions
{
    /// <summary>Gets or sets the path of the <c>.onnx</c> decoder model. Required.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the tokenizer that matches the model's vocabulary (any <see cref="Microsoft.ML.Tokenizers.Tokenizer"/>, e.g. a BPE, Tiktoken, Llama or SentencePiece tokenizer). Required.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>The tokenizer must be safe to use from several threads at once, as the Microsoft.ML.Tokenizers tokenizers are.</remarks>
    public Tokenizer? Tokenizer { get; set; }

    /// <summary>Gets or sets the function that renders the conversation into the prompt text the model continues, or <see langword="null"/> for <see cref="OnnxChatClient.FormatDefaultPrompt"/>.</summary>
    /// <value>The default value is <see langword="null"/> (<c>&lt;|role|&gt;\n{text}\n</c> per message, then <c>&lt;|assistant|&gt;\n</c>).</value>
    /// <remarks>Use the template the model was trained with (e.g. ChatML or Llama's). It receives the messages with
    /// <see cref="ChatOptions.Instructions"/> already prepended as a system message, and must be thread-safe.</remarks>
    public Func<IEnumerable<ChatMessage>, string>? ChatTemplate { get; set; }

    /// <summary>Gets the token ids that end generation (end of sequence, end of turn). Generation stops before such a token; it is counted in the output tokens but never decoded into the text.</summary>
    /// <value>The default value is an empty list (generation stops only at a stop sequence or a length limit).</value>
    public IList<int> EndOfSequenceTokenIds { get; } = new List<int>();

    /// <summary>Gets or sets the model's context length in tokens: prompt plus generated tokens never exceed it.</summary>
    /// <value>The default value is 2048.</value>
    public int MaxContextLength { get; set; } = 2048;

    /// <summary>Gets or sets the number of tokens generated at most when <see cref="ChatOptions.MaxOutputTokens"/> is not set.</summary>
    /// <value>The default value is 256.</value>
    public int DefaultMaxOutputTokens { get; set; } = 256;

    /// <summary>Gets or sets the model id reported in <see cref="ChatResponse.ModelId"/> and <see cref="ChatClientMetadata.DefaultModelId"/>, or <see langword="null"/> for the model file name without its extension.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets how the ONNX Runtime session is created (execution provider, threads, optimization), or <see langword="null"/> for the defaults.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public OnnxSessionOptions? Session { get; set; }

    /// <summary>Gets or sets the name of the token id input, int64 <c>[batch, sequence]</c>.</summary>
    /// <value>The default value is <c>input_ids</c>.</value>
    public string InputIdsName { get; set; } = "input_ids";

    /// <summary>Gets or sets the name of the attention mask input, int64 <c>[batch, past + sequence]</c>.</summary>
    /// <value>The default value is <c>attention_mask</c>.</value>
    public string AttentionMaskName { get; set; } = "attention_mask";

    /// <summary>Gets or sets the name of the optional position input, int64 <c>[batch, sequence]</c>; fed only when the model has it.</summary>
    /// <value>The default value is <c>position_ids</c>.</value>
    public string PositionIdsName { get; set; } = "position_ids";

    /// <summary>Gets or sets the name of the logits output, float <c>[batch, sequence, vocabulary]</c>.</summary>
    /// <value>The default value is <c>logits</c>.</value>
    public string LogitsName { get; set; } = "logits";

    /// <summary>Gets or sets the composite format of the past key inputs, float <c>[batch, heads, past, head size]</c>; <c>{0}</c> is the layer index. The model has a KV cache when the name for layer 0 is among its inputs.</summary>
    /// <value>The default value is <c>past_key_values.{0}.key</c>.</value>
    public string PastKeyNameFormat { get; set; } = "past_key_values.{0}.key";

    /// <summary>Gets or sets the composite format of the past value inputs; <c>{0}</c> is the layer index.</summary>
    /// <value>The default value is <c>past_key_values.{0}.value</c>.</value>
    public string PastValueNameFormat { get; set; } = "past_key_values.{0}.value";

    /// <summary>Gets or sets the composite format of the present key outputs, float <c>[batch, heads, past + sequence, head size]</c>; <c>{0}</c> is the layer index.</summary>
    /// <value>The default value is <c>present.{0}.key</c>.</value>
    public string PresentKeyNameFormat { get; set; } = "present.{0}.key";

    /// <summary>Gets or sets the composite format of the present value outputs; <c>{0}</c> is the layer index.</summary>
    /// <value>The default value is <c>present.{0}.value</c>.</value>
    public string PresentValueNameFormat { get; set; } = "present.{0}.value";
}
