using System.ComponentModel.DataAnnotations;

namespace PromptKit.Internalization;

/// <summary>Options of <see cref="GenPiDataBuilder"/>: the weight of imitation against prompt generation, and the
/// commentator that writes the reasons.</summary>
public sealed class GenPiOptions
{
    /// <summary>The commentator's default instructions (the prompt to internalize is appended after them).</summary>
    public const string DefaultCommentatorPrompt =
        "You are a commentator. An assistant must follow the system prompt below. You are shown an input, the assistant's output "
        + "without the system prompt (AS-IS) and its output with it (TO-BE). In one or two sentences, say which instructions of the "
        + "system prompt make the output change from AS-IS to TO-BE. Answer with the reason only.";

    /// <summary>Gets or sets r, the weight of the imitation (SFT) examples; the prompt-generation examples get 1 − r.
    /// The authors used 0.7 for OS and WebShop, 0.3 for Mind2Web; 1 is SFT only.</summary>
    /// <value>The default value is 0.7.</value>
    [Range(0.0, 1.0)]
    public double ImitationWeight { get; set; } = 0.7;

    /// <summary>Gets or sets the commentator's instructions.</summary>
    /// <value>The default value is <see cref="DefaultCommentatorPrompt"/>.</value>
    [Required]
    public string CommentatorPrompt { get; set; } = DefaultCommentatorPrompt;

    /// <summary>Gets or sets the most tokens of the student's AS-IS output and of the commentator's reason.</summary>
    /// <value>The default value is 128.</value>
    [Range(1, 100_000)]
    public int MaxOutputTokens { get; set; } = 128;

    /// <summary>Gets or sets the number of agent turns of each conversation that get a prompt-generation example (the first ones).</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 1000)]
    public int PromptGenerationTurns { get; set; } = 1;
}
