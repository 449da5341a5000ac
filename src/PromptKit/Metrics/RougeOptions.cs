namespace PromptKit;

/// <summary>Options for <see cref="RougeMetric"/>.</summary>
public sealed class RougeOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether tokens longer than three characters are reduced with the Porter stemmer
    /// (<see cref="PorterStemmer"/>, NLTK 3.8 semantics), as rouge-score's <c>use_stemmer=True</c>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>, as in rouge-score.</value>
    public bool UseStemmer { get; set; }

    /// <summary>
    /// Gets or sets the ROUGE types that <see cref="RougeMetric.Score(string, string)"/> and
    /// <see cref="RougeMetric.ScoreMulti(IReadOnlyList{string}, string)"/> compute. Duplicates are ignored; the order is kept.
    /// </summary>
    /// <value>
    /// The default value is all four types: <see cref="RougeType.Rouge1"/>, <see cref="RougeType.Rouge2"/>,
    /// <see cref="RougeType.RougeL"/> and <see cref="RougeType.RougeLsum"/>.
    /// </value>
    public IReadOnlyList<RougeType> Types { get; set; } =
        [RougeType.Rouge1, RougeType.Rouge2, RougeType.RougeL, RougeType.RougeLsum];
}
