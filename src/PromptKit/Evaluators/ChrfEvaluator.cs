using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit;

/// <summary>
/// An <see cref="IEvaluator"/> that scores a model response against reference texts with chrF (or chrF++), computed
/// exactly as sacrebleu 2.6.0 (see <see cref="ChrfMetric"/>), and reports it as a 0..1 <see cref="NumericMetric"/>
/// named <see cref="ChrfMetricName"/>.
/// </summary>
/// <remarks>
/// <para>
/// The references come from a <see cref="ReferenceTextContext"/> in <c>additionalContext</c>; with several references
/// the best-scoring one counts, as in sacrebleu. The value is sacrebleu's <c>CHRF(...).sentence_score(...).score</c>
/// divided by 100 (the scale of Microsoft.Extensions.AI.Evaluation.NLP's evaluators), capped at 1 against
/// floating-point overshoot. The metric is named <c>chrF</c> whatever the options; the variant (e.g. <c>chrF2++</c>)
/// appears in <see cref="EvaluationMetric.Reason"/>, which holds sacrebleu's text form of the score and its
/// signature. <see cref="EvaluationMetric.Metadata"/> holds <c>sacrebleu-signature</c>, <c>chrf-score</c> (0..100,
/// round-trip format) and <c>reference-count</c>.
/// </para>
/// <para>
/// Interpretation: (0.8, 1] Exceptional, (0.6, 0.8] Good, (0.4, 0.6] Average, (0.2, 0.4] Poor, [0, 0.2]
/// Unacceptable; a value below 0.5 is marked failed (the bands of Microsoft.Extensions.AI.Evaluation.NLP). Re-interpret
/// with <see cref="EvaluationResultExtensions.Interpret"/> when another cut-off suits the task.
/// </para>
/// <para>
/// Without a <see cref="ReferenceTextContext"/> the metric has no value and an Error diagnostic says what to pass;
/// nothing is thrown. A response without text (empty or whitespace only) is scored as an empty hypothesis (0 unless
/// <see cref="ChrfOptions.IncludeWhitespace"/> lets whitespace match) and gets a Warning diagnostic. The evaluator is
/// immutable and thread-safe, and finishes synchronously.
/// </para>
/// </remarks>
public sealed class ChrfEvaluator : IEvaluator
{
    /// <summary>The <see cref="EvaluationMetric.Name"/> of the metric this evaluator returns: <c>chrF</c>.</summary>
    public const string ChrfMetricName = "chrF";

    private static readonly ImmutableArray<string> MetricNames = [ChrfMetricName];

    private readonly ChrfMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="ChrfEvaluator"/> class.</summary>
    /// <param name="options">
    /// The chrF options, copied; <see langword="null"/> for sacrebleu's <c>CHRF()</c> defaults (chrF2: character
    /// 6-grams, β = 2, whitespace removed). Set <see cref="ChrfOptions.WordOrder"/> to 2 for chrF++.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (every error is listed).</exception>
    public ChrfEvaluator(ChrfOptions? options = null)
    {
        _metric = options is null ? new ChrfMetric() : new ChrfMetric(options);
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> EvaluationMetricNames => MetricNames;

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
            nameof(ChrfEvaluator), MetricNames, messages, modelResponse, additionalContext, _metric,
            static (chrf, text, context, metrics) =>
            {
                ChrfScore score = chrf.Score(text, context.References);
                string signature = chrf.GetSignature(context.References.Length);
                NumericMetric metric = metrics[0];
                metric.Value = TextEvaluation.ToUnitScale(score.Score);
                metric.Reason = $"{score} (sacrebleu signature {signature})";
                metric.AddOrUpdateMetadata("sacrebleu-signature", signature);
                metric.AddOrUpdateMetadata("chrf-score", TextEvaluation.Format(score.Score));
            },
            cancellationToken);
    }
}
