using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit;

/// <summary>
/// An <see cref="IEvaluator"/> that scores a model response against reference texts with ROUGE, computed exactly as
/// Google's rouge-score 0.1.2 (see <see cref="RougeMetric"/>), and reports one 0..1 <see cref="NumericMetric"/> (the
/// F-measure) for each configured <see cref="RougeType"/>.
/// </summary>
/// <remarks>
/// <para>
/// Metric names: <see cref="Rouge1MetricName"/>, <see cref="Rouge2MetricName"/>, <see cref="RougeLMetricName"/> and
/// <see cref="RougeLsumMetricName"/> (<see cref="GetMetricName(RougeType)"/> maps a type to its name), in the order of
/// <see cref="RougeOptions.Types"/>. The references come from a <see cref="ReferenceTextContext"/> in
/// <c>additionalContext</c>; with several references each type reports the reference with the highest F-measure, as
/// rouge-score's <c>score_multi</c>. The value is rouge-score's <c>fmeasure</c>, already in [0, 1].
/// <see cref="EvaluationMetric.Reason"/> gives precision, recall and F-measure; <see cref="EvaluationMetric.Metadata"/>
/// holds <c>precision</c> and <c>recall</c> (round-trip format), <c>use-stemmer</c> and <c>reference-count</c>.
/// </para>
/// <para>
/// Interpretation: (0.8, 1] Exceptional, (0.6, 0.8] Good, (0.4, 0.6] Average, (0.2, 0.4] Poor, [0, 0.2]
/// Unacceptable; a value below 0.5 is marked failed (the bands of Microsoft.Extensions.AI.Evaluation.NLP). Re-interpret
/// with <see cref="EvaluationResultExtensions.Interpret"/> when another cut-off suits the task.
/// </para>
/// <para>
/// Without a <see cref="ReferenceTextContext"/> every metric has no value and an Error diagnostic says what to pass;
/// nothing is thrown. A response without text (empty or whitespace only) scores 0 on every type and gets a Warning
/// diagnostic. The evaluator is immutable and thread-safe, and finishes synchronously.
/// </para>
/// </remarks>
public sealed class RougeEvaluator : IEvaluator
{
    /// <summary>The <see cref="EvaluationMetric.Name"/> of the <see cref="RougeType.Rouge1"/> metric: <c>ROUGE-1</c>.</summary>
    public const string Rouge1MetricName = "ROUGE-1";

    /// <summary>The <see cref="EvaluationMetric.Name"/> of the <see cref="RougeType.Rouge2"/> metric: <c>ROUGE-2</c>.</summary>
    public const string Rouge2MetricName = "ROUGE-2";

    /// <summary>The <see cref="EvaluationMetric.Name"/> of the <see cref="RougeType.RougeL"/> metric: <c>ROUGE-L</c>.</summary>
    public const string RougeLMetricName = "ROUGE-L";

    /// <summary>The <see cref="EvaluationMetric.Name"/> of the <see cref="RougeType.RougeLsum"/> metric: <c>ROUGE-Lsum</c>.</summary>
    public const string RougeLsumMetricName = "ROUGE-Lsum";

    private readonly RougeMetric _metric;
    private readonly ImmutableArray<string> _metricNames;

    /// <summary>Initializes a new instance of the <see cref="RougeEvaluator"/> class.</summary>
    /// <param name="options">
    /// The ROUGE options, copied; <see langword="null"/> for rouge-score's defaults with all four types and no stemmer.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <see cref="RougeOptions.Types"/> of <paramref name="options"/> is <see langword="null"/>, empty or holds an
    /// undefined <see cref="RougeType"/>.
    /// </exception>
    public RougeEvaluator(RougeOptions? options = null)
    {
        _metric = options is null ? new RougeMetric() : new RougeMetric(options);
        var names = ImmutableArray.CreateBuilder<string>(_metric.Types.Length);
        foreach (RougeType type in _metric.Types)
        {
            names.Add(GetMetricName(type));
        }

        _metricNames = names.MoveToImmutable();
    }

    /// <summary>Gets the ROUGE types this evaluator reports, in the order of <see cref="RougeOptions.Types"/>, without duplicates.</summary>
    public ImmutableArray<RougeType> Types => _metric.Types;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> EvaluationMetricNames => _metricNames;

    /// <summary>Returns the <see cref="EvaluationMetric.Name"/> under which <paramref name="type"/> is reported.</summary>
    /// <param name="type">The ROUGE type.</param>
    /// <returns><see cref="Rouge1MetricName"/>, <see cref="Rouge2MetricName"/>, <see cref="RougeLMetricName"/> or <see cref="RougeLsumMetricName"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined <see cref="RougeType"/>.</exception>
    public static string GetMetricName(RougeType type)
    {
        RougeMetric.ThrowIfUndefined(type);
        return type switch
        {
            RougeType.Rouge1 => Rouge1MetricName,
            RougeType.Rouge2 => Rouge2MetricName,
            RougeType.RougeL => RougeLMetricName,
            _ => RougeLsumMetricName,
        };
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> or <paramref name="modelResponse"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        return TextEvaluation.Evaluate(
            nameof(RougeEvaluator), _metricNames, messages, modelResponse, additionalContext, _metric,
            static (rouge, text, context, metrics) =>
            {
                RougeResult scores = rouge.ScoreMulti(context.References, text);
                string stemming = rouge.UseStemmer ? "Porter stemmer" : "no stemmer";
                string references = context.References.Length == 1
                    ? "1 reference"
                    : $"best of {TextEvaluation.Format(context.References.Length)} references";
                for (int i = 0; i < metrics.Length; i++)
                {
                    NumericMetric metric = metrics[i];
                    RougeScore score = scores[rouge.Types[i]];
                    metric.Value = score.FMeasure;
                    metric.Reason =
                        $"{metric.Name}: P = {TextEvaluation.Format(score.Precision)}, R = {TextEvaluation.Format(score.Recall)}, " +
                        $"F = {TextEvaluation.Format(score.FMeasure)} (rouge-score 0.1.2, {stemming}, {references})";
                    metric.AddOrUpdateMetadata("precision", TextEvaluation.Format(score.Precision));
                    metric.AddOrUpdateMetadata("recall", TextEvaluation.Format(score.Recall));
                    metric.AddOrUpdateMetadata("use-stemmer", rouge.UseStemmer ? "true" : "false");
                }
            },
            cancellationToken);
    }
}
