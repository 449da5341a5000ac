using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options for <see cref="ExtractiveUserSummarizer"/>.</summary>
public sealed class ExtractiveUserSummarizerOptions
{
    /// <summary>Gets or sets the number of sentences the summary holds (fewer when the documents have fewer).</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 100)]
    public int SentenceCount { get; set; } = 4;

    /// <summary>Gets or sets the largest cosine similarity a sentence may have to a sentence already chosen; more similar
    /// sentences are passed over while enough others remain (1 turns the check off).</summary>
    /// <value>The default value is 0.6.</value>
    /// <remarks>Authors often repeat a sentence almost word for word across abstracts ("For a Tychonoff space X, we denote
    /// by …"); without this check the summary can be that sentence several times over.</remarks>
    [Range(0.0, 1.0)]
    public double MaxSimilarity { get; set; } = 0.6;
}
