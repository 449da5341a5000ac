using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options of <see cref="ChrfMetric"/>, named after sacrebleu's <c>CHRF(...)</c> arguments.</summary>
/// <remarks>The defaults are sacrebleu 2.6.0's <c>CHRF()</c> (chrF2); set <see cref="WordOrder"/> to 2 for chrF++.</remarks>
public sealed class ChrfOptions
{
    /// <summary>Gets or sets the maximum character n-gram order (sacrebleu <c>char_order</c>), from 0 to 32.</summary>
    /// <value>The default value is 6.</value>
    [Range(0, 32)]
    public int CharOrder { get; set; } = 6;

    /// <summary>Gets or sets the maximum word n-gram order (sacrebleu <c>word_order</c>), from 0 to 32; 2 gives chrF++.</summary>
    /// <value>The default value is 0 (chrF).</value>
    [Range(0, 32)]
    public int WordOrder { get; set; }

    /// <summary>Gets or sets β, the weight of recall relative to precision (sacrebleu <c>beta</c>), from 0 to 100.</summary>
    /// <value>The default value is 2.</value>
    [Range(0, 100)]
    public int Beta { get; set; } = 2;

    /// <summary>Gets or sets a value indicating whether text is lower-cased (Python <c>str.lower()</c>) first (sacrebleu <c>lowercase</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Lowercase { get; set; }

    /// <summary>Gets or sets a value indicating whether whitespace is kept in character n-grams (sacrebleu <c>whitespace</c>).</summary>
    /// <value>The default value is <see langword="false"/>: whitespace is removed before character n-grams are taken.</value>
    public bool IncludeWhitespace { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the per-order F-scores are averaged with epsilon smoothing as the
    /// original chrF++.py, Moses and NLTK do (sacrebleu <c>eps_smoothing</c>), instead of sacrebleu's default of
    /// averaging precision and recall over the orders that occur in both texts (effective order).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EpsSmoothing { get; set; }
}
