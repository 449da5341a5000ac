namespace PromptKit;

/// <summary>A ROUGE F-measure reward against one or more reference texts (the best reference counts).</summary>
/// <remarks>Numbers are those of Google's rouge-score 0.1.2 (<see cref="RougeMetric"/>); values are in [0, 1]. Thread-safe and allocation-free per call after warm-up.</remarks>
public sealed class RougeReward : IReward<IReadOnlyList<string>>
{
    private readonly RougeMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="RougeReward"/> class.</summary>
    /// <param name="type">The ROUGE variant.</param>
    /// <param name="useStemmer">Whether tokens are Porter-stemmed, as rouge-score's <c>use_stemmer</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    public RougeReward(RougeType type = RougeType.RougeL, bool useStemmer = false)
    {
        if (type is < RougeType.Rouge1 or > RougeType.RougeLsum)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, $"ROUGE type {(int)type} is not a defined {nameof(RougeType)} value.");
        }

        Type = type;
        _metric = new RougeMetric(new RougeOptions { UseStemmer = useStemmer, Types = [type] });
        Name = type switch
        {
            RougeType.Rouge1 => "rouge1",
            RougeType.Rouge2 => "rouge2",
            RougeType.RougeL => "rougeL",
            _ => "rougeLsum",
        };
    }

    /// <summary>Gets the ROUGE variant.</summary>
    public RougeType Type { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public double Compute(string output, IReadOnlyList<string> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        return _metric.ScoreMulti(Type, target, output).FMeasure;
    }
}
