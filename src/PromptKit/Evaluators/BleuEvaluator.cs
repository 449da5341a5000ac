using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit;

/// <summary>
/// An <see cref="IEvaluator"/> that scores a model response against reference texts with sentence BLEU, computed
/// exactly as sacrebleu 2.6.0 (see <see cref="BleuMetric"/>), and reports it as a 0..1 <see cref="NumericMetric"/>
/// named <see cref="BleuMetricName"/>.
/// </summary>
/// <remarks>
/// <para>
/// The references come from a <see cref="ReferenceTextContext"/> in <c>additionalContext</c>; with several references
/// BLEU clips n-gram counts against all of them, as sacrebleu does. The value is sacrebleu's
/// <c>sentence_score(...).score</c> divided by 100 (the scale of Microsoft.Extensions.AI.Evaluation.NLP's
/// evaluators); floating-point overshoot such as 100.00000000000004 for identical text is reported as 1.
/// <see cref="EvaluationMetric.Reason"/> holds sacrebleu's text form of the score and its signature, and
/// <see cref="EvaluationMetric.Metadata"/> holds <c>sacrebleu-signature</c>, <c>bleu-score</c> (0..100, round-trip
/// format), <c>brevity-penalty</c> and <c>reference-count</c>.
/// </para>
/// <para>
/// Interpretation: (0.8, 1] Exceptional, (0.6, 0.8] Good, (0.4, 0.6] Average, (0.2, 0.4] Poor, [0, 0.2]
/// Unacceptable; a value below 0.5 is marked failed (the bands of Microsoft.Extensions.AI.Evaluation.NLP). Sentence
/// BLEU is strict, so many acceptable paraphrases fail; re-interpret with
/// <see cref="EvaluationResultExtensions.Interpret"/> when another cut-off suits the task.
/// </para>
/// <para>
/// Without a <see cref="ReferenceTextContext"/> the metric has no value and an Error diagnostic says what to pass;
/// nothing is thrown. A response without text (empty or whitespace only) is scored as an empty hypothesis (0) and
/// gets a Warning diagnostic. The evaluator is immutable and thread-safe, and finishes synchronously.
/// </para>
/// </remarks>
public sealed class BleuEvaluator : IEvaluator
{
    /// <summary>The <see cref="EvaluationMetric.Name"/> of the metric this evaluator returns: <c>BLEU</c>.</summary>
    public const string BleuMetricName = "BLEU";

    private static readonly ImmutableArray<string> MetricNames = [BleuMetricName];

    private readonly BleuMetric _metric;

    /// <summary>Initializes a new instance of the <see cref="BleuEvaluator"/> class.</summary>
    /// <param name="options">
    /// The BLEU options, copied; <see langword="null"/> for <c>sacrebleu.sentence_bleu</c>'s defaults (13a tokenizer,
    /// exponential smoothing, effective order on). Set <see cref="BleuOptions.EffectiveOrder"/> yourself when you pass
    /// options: without it a short response with no 4-gram match scores 0.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid (every error is listed).</exception>
    public BleuEvaluator(BleuOptions? options = null)
    {
        _metric = new BleuMetric(options ?? new BleuOptions { EffectiveOrder = true });
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
            nameof(BleuEvaluator), MetricNames, messages, modelResponse, additionalContext, _metric,
            static (bleu, text, context, metrics) =>
            {
                BleuScore score = bleu.Score(text, context.References);
                string signature = bleu.GetSignature(context.References.Length);
                NumericMetric metric = metrics[0];
                metric.Value = TextEvaluation.ToUnitScale(score.Score);
                metric.Reason = $"{score} (sacrebleu signature {signature})";
                metric.AddOrUpdateMetadata("sacrebleu-signature", signature);
                metric.AddOrUpdateMetadata("bleu-score", TextEvaluation.Format(score.Score));
                metric.AddOrUpdateMetadata("brevity-penalty", TextEvaluation.Format(score.BrevityPenalty));
            },
            cancellationToken);
    }
}
