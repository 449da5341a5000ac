using System.ComponentModel.DataAnnotations;

namespace PromptKit.Lucene;

/// <summary>Options for <see cref="LuceneBm25Retriever"/>.</summary>
public sealed class LuceneBm25RetrieverOptions
{
    /// <summary>Gets or sets BM25's term-frequency saturation parameter k1.</summary>
    /// <value>The default value is 1.2 (Lucene's default).</value>
    [Range(0.0, 100.0)]
    public float K1 { get; set; } = 1.2f;

    /// <summary>Gets or sets BM25's length-normalization parameter b: 0 ignores document length, 1 normalizes fully.</summary>
    /// <value>The default value is 0.75 (Lucene's default).</value>
    [Range(0.0, 1.0)]
    public float B { get; set; } = 0.75f;
}
