namespace PromptKit;

/// <summary>
/// The smoothing methods of sacrebleu's BLEU (Chen and Cherry, 2014, "A Systematic Comparison of Smoothing
/// Techniques for Sentence-Level BLEU").
/// </summary>
public enum BleuSmoothing
{
    /// <summary>
    /// sacrebleu <c>exp</c> (method 3, NIST geometric sequence as in mteval-v13a.pl): the k-th order with no match
    /// gets precision 1 / (2^k · total). The default.
    /// </summary>
    Exponential = 0,

    /// <summary>
    /// sacrebleu <c>floor</c> (method 1): an order with no match gets precision <see cref="BleuOptions.SmoothValue"/>
    /// / total (default 0.1).
    /// </summary>
    Floor = 1,

    /// <summary>
    /// sacrebleu <c>add-k</c> (method 2): <see cref="BleuOptions.SmoothValue"/> (default 1) is added to the matched
    /// and total counts of orders 2 and higher; the reported <see cref="BleuScore.Counts"/> and
    /// <see cref="BleuScore.Totals"/> include it, as sacrebleu's do.
    /// </summary>
    AddK = 2,

    /// <summary>sacrebleu <c>none</c>: no smoothing; any order with no match gives a score of 0.</summary>
    None = 3,
}
