using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>Options of <see cref="BleuMetric"/>, named after sacrebleu's <c>BLEU(...)</c> arguments.</summary>
/// <remarks>
/// The defaults are those of sacrebleu 2.6.0's <c>BLEU()</c> class and of <c>sacrebleu.corpus_bleu</c>.
/// <c>sacrebleu.sentence_bleu</c> differs only in <see cref="EffectiveOrder"/> = <see langword="true"/>, which is
/// recommended for sentence-level scores such as rewards.
/// </remarks>
public sealed class BleuOptions
{
    /// <summary>Gets or sets the tokenizer (sacrebleu <c>tokenize</c>).</summary>
    /// <value>The default value is <see cref="BleuTokenizer.Mteval13a"/> (<c>13a</c>).</value>
    [EnumDataType(typeof(BleuTokenizer))]
    public BleuTokenizer Tokenizer { get; set; } = BleuTokenizer.Mteval13a;

    /// <summary>Gets or sets the smoothing method (sacrebleu <c>smooth_method</c>).</summary>
    /// <value>The default value is <see cref="BleuSmoothing.Exponential"/> (<c>exp</c>).</value>
    [EnumDataType(typeof(BleuSmoothing))]
    public BleuSmoothing Smoothing { get; set; } = BleuSmoothing.Exponential;

    /// <summary>
    /// Gets or sets the smoothing value for <see cref="BleuSmoothing.Floor"/> and <see cref="BleuSmoothing.AddK"/>
    /// (sacrebleu <c>smooth_value</c>); <see langword="null"/> uses the method's default (0.1 for floor, 1 for add-k).
    /// Ignored by the other methods, as in sacrebleu. Must be finite and non-negative.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(0.0, double.MaxValue)]
    public double? SmoothValue { get; set; }

    /// <summary>Gets or sets a value indicating whether hypotheses and references are lower-cased (Python <c>str.lower()</c>) before tokenization.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Lowercase { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the geometric mean stops at the highest n-gram order that the
    /// hypothesis has (sacrebleu <c>effective_order</c>), so short segments are not scored 0.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>, as sacrebleu's <c>BLEU()</c> and <c>corpus_bleu</c>; set it to
    /// <see langword="true"/> to match <c>sacrebleu.sentence_bleu</c>.
    /// </value>
    public bool EffectiveOrder { get; set; }

    /// <summary>Gets or sets the maximum n-gram order (sacrebleu <c>max_ngram_order</c>), from 1 to 32.</summary>
    /// <value>The default value is 4.</value>
    [Range(1, 32)]
    public int MaxNgramOrder { get; set; } = 4;
}
