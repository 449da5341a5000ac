namespace PromptKit;

/// <summary>A sentence-BLEU reward against one or more reference texts, scaled to [0, 1].</summary>
/// <remarks>The value is sacrebleu 2.x's <c>sentence_score</c> (see <see cref="BleuMetric"/>) divided by 100. The default options are those of <c>sacrebleu.sentence_bleu</c>: 13a tokenizer, exponential smoothing, effective order. Thread-safe and allocation-free per call after warm-up.</remarks>
public sealed class BleuReward : IReward<IReadOnlyList<string>>
{
    private readonly BleuMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="BleuReward"/> class.</summary>
    /// <param name="options">The BLEU options, or <see langword="null"/> for sacrebleu's sentence-BLEU defaults (effective order on).</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> are invalid; every failure is listed.</exception>
    public BleuReward(BleuOptions? options = null)
    {
        _metric = new BleuMetric(options ?? new BleuOptions { EffectiveOrder = true });
    }

    /// <inheritdoc/>
    public string Name => "bleu";

    /// <summary>Gets the signature of the underlying BLEU configuration, as sacrebleu prints it.</summary>
    public string Signature => _metric.Signature;

    /// <inheritdoc/>
    public double Compute(string output, IReadOnlyList<string> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        return _metric.ScoreValue(output, target) / 100.0;
    }
}
