namespace PromptKit;

/// <summary>A chrF (or chrF++) reward against one or more reference texts, scaled to [0, 1].</summary>
/// <remarks>The value is sacrebleu 2.x's chrF <c>sentence_score</c> (see <see cref="ChrfMetric"/>) divided by 100. Set <see cref="ChrfOptions.WordOrder"/> to 2 for chrF++. Thread-safe.</remarks>
public sealed class ChrfReward : IReward<IReadOnlyList<string>>
{
    private readonly ChrfMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="ChrfReward"/> class.</summary>
    /// <param name="options">The chrF options, or <see langword="null"/> for sacrebleu's defaults (chrF2: character 6-grams, β = 2).</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> are invalid; every failure is listed.</exception>
    public ChrfReward(ChrfOptions? options = null)
    {
        options ??= new ChrfOptions();
        _metric = new ChrfMetric(options);
        Name = options.WordOrder > 0 ? "chrf++" : "chrf";
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public double Compute(string output, IReadOnlyList<string> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        return _metric.ScoreValue(output, target) / 100.0;
    }
}
