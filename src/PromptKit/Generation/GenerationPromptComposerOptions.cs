using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options for <see cref="GenerationPromptComposer"/>.</summary>
public sealed class GenerationPromptComposerOptions
{
    /// <summary>The default value of <see cref="Instruction"/>.</summary>
    public const string DefaultInstruction = "Write the abstract of the user's next paper. Use the user's past work and style.";

    /// <summary>Gets or sets the fixed instruction that opens every prompt (system message).</summary>
    /// <value>The default value is <see cref="DefaultInstruction"/>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Instruction { get; set; } = DefaultInstruction;

    /// <summary>Gets or sets the most past documents retrieved for the prompt's retrieved entries.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 1_000)]
    public int RetrievedCount { get; set; } = 3;

    /// <summary>Gets or sets the most keywords in the synthesis.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 1_000)]
    public int KeywordCount { get; set; } = 10;
}
