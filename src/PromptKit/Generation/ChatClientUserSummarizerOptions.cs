using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options for <see cref="ChatClientUserSummarizer"/>.</summary>
public sealed class ChatClientUserSummarizerOptions
{
    /// <summary>The default value of <see cref="Instructions"/>.</summary>
    public const string DefaultInstructions =
        "Summarize the research interests and the writing of the author of the past documents below in three or four "
        + "sentences. Answer with the summary only.";

    /// <summary>Gets or sets the instruction sent to the model (system message) before the past documents.</summary>
    /// <value>The default value is <see cref="DefaultInstructions"/>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Instructions { get; set; } = DefaultInstructions;

    /// <summary>Gets or sets the most tokens the model may generate, or <see langword="null"/> to leave the model's default.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, 1_048_576)]
    public int? MaxOutputTokens { get; set; } = 256;

    /// <summary>Gets or sets the model to ask, or <see langword="null"/> for the chat client's default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelId { get; set; }
}
