using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options for <see cref="ExtractiveUserSummarizer"/>.</summary>
public sealed class ExtractiveUserSummarizerOptions
{
    /// <summary>Gets or sets the number of sentences the summary holds (fewer when the documents have fewer).</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 100)]
    public int SentenceCount { get; set; } = 4;
}
