using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace PromptKit;

/// <summary>
/// What <see cref="BleuEvaluator"/>, <see cref="ChrfEvaluator"/> and <see cref="RougeEvaluator"/> share: finding the
/// <see cref="ReferenceTextContext"/>, the diagnostics, the 0..1 scale and the interpretation of a score.
/// </summary>
/// <remarks>
/// Interpretation bands on the 0..1 value, the same as Microsoft.Extensions.AI.Evaluation.NLP's evaluators:
/// (0.8, 1] <see cref="EvaluationRating.Exceptional"/>, (0.6, 0.8] <see cref="EvaluationRating.Good"/>,
/// (0.4, 0.6] <see cref="EvaluationRating.Average"/>, (0.2, 0.4] <see cref="EvaluationRating.Poor"/>,
/// [0, 0.2] <see cref="EvaluationRating.Unacceptable"/>; anything else (no value, NaN, outside [0, 1]) is
/// <see cref="EvaluationRating.Inconclusive"/> and not failed. A value below <see cref="PassingScore"/> is marked failed.
/// </remarks>
internal static class TextEvaluation
{
    /// <summary>The lowest value that passes.</summary>
    public const double PassingScore = 0.5;

    /// <summary>The highest value rated <see cref="EvaluationRating.Unacceptable"/>.</summary>
    public const double UnacceptableMaximum = 0.2;

    /// <summary>The highest value rated <see cref="EvaluationRating.Poor"/>.</summary>
    public const double PoorMaximum = 0.4;

    /// <summary>The highest value rated <see cref="EvaluationRating.Average"/>.</summary>
    public const double AverageMaximum = 0.6;

    /// <summary>The highest value rated <see cref="EvaluationRating.Good"/>; above it is <see cref="EvaluationRating.Exceptional"/>.</summary>
    public const double GoodMaximum = 0.8;

    /// <summary>
    /// The flow every text evaluator follows: check the arguments, create one <see cref="NumericMetric"/> per name, report
    /// a missing <see cref="ReferenceTextContext"/> as an Error diagnostic, let <paramref name="score"/> set each metric's
    /// value, reason and own metadata, then add the reference count, the context, the empty-response warning and the
    /// interpretation.
    /// </summary>
    public static ValueTask<EvaluationResult> Evaluate<TState>(
        string evaluatorName,
        IReadOnlyList<string> metricNames,
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        IEnumerable<EvaluationContext>? additionalContext,
        TState state,
        Action<TState, string, ReferenceTextContext, NumericMetric[]> score,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(modelResponse);
        cancellationToken.ThrowIfCancellationRequested();

        var metrics = new NumericMetric[metricNames.Count];
        for (int i = 0; i < metrics.Length; i++)
        {
            metrics[i] = new NumericMetric(metricNames[i]);
        }

        var result = new EvaluationResult(metrics);
        ReferenceTextContext? context = FindReferences(additionalContext);
        if (context is null)
        {
            foreach (NumericMetric metric in metrics)
            {
                metric.AddDiagnostics(MissingReferences(evaluatorName, metric.Name));
            }

            return new ValueTask<EvaluationResult>(result);
        }

        score(state, modelResponse.Text, context, metrics);
        bool isEmpty = IsEmpty(modelResponse);
        foreach (NumericMetric metric in metrics)
        {
            metric.AddOrUpdateMetadata("reference-count", Format(context.References.Length));
            metric.AddOrUpdateContext(context);
            if (isEmpty)
            {
                metric.AddDiagnostics(EmptyResponse(metric.Name, metric.Value ?? 0.0));
            }

            metric.Interpretation = Interpret(metric);
        }

        return new ValueTask<EvaluationResult>(result);
    }

    /// <summary>Returns the first <see cref="ReferenceTextContext"/> in <paramref name="additionalContext"/>, or <see langword="null"/>.</summary>
    public static ReferenceTextContext? FindReferences(IEnumerable<EvaluationContext>? additionalContext)
    {
        if (additionalContext is null)
        {
            return null;
        }

        foreach (EvaluationContext context in additionalContext)
        {
            if (context is ReferenceTextContext references)
            {
                return references;
            }
        }

        return null;
    }

    /// <summary>The Error diagnostic for a call without a <see cref="ReferenceTextContext"/>.</summary>
    public static EvaluationDiagnostic MissingReferences(string evaluatorName, string metricName) =>
        EvaluationDiagnostic.Error(
            $"{metricName} was not computed: no {nameof(ReferenceTextContext)} was found in additionalContext. " +
            $"Pass the reference texts to {evaluatorName}.EvaluateAsync, e.g. " +
            $"additionalContext: [new {nameof(ReferenceTextContext)}(\"the expected answer\")].");

    /// <summary>The Warning diagnostic for a response without text (empty or whitespace only).</summary>
    public static EvaluationDiagnostic EmptyResponse(string metricName, double value) =>
        EvaluationDiagnostic.Warning(
            $"The modelResponse supplied for evaluation has no text (empty or whitespace only); it was scored as an " +
            $"empty hypothesis: {metricName} = {Format(value)}.");

    /// <summary>Whether the response has no text worth scoring.</summary>
    public static bool IsEmpty(ChatResponse modelResponse) => string.IsNullOrWhiteSpace(modelResponse.Text);

    /// <summary>
    /// Maps a 0..100 score to the reported 0..1 value; floating-point overshoot such as sacrebleu's
    /// 100.00000000000004 for identical text is reported as 1.
    /// </summary>
    public static double ToUnitScale(double percent) => Math.Min(percent / 100.0, 1.0);

    /// <summary>Formats a value for reasons and metadata so that it round-trips (invariant culture).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a count for metadata (invariant culture).</summary>
    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Interprets a 0..1 value with the bands and passing score in the class remarks.</summary>
    public static EvaluationMetricInterpretation Interpret(NumericMetric metric)
    {
        if (metric.Value is not double value || double.IsNaN(value) || value < 0.0 || value > 1.0)
        {
            return new EvaluationMetricInterpretation(
                EvaluationRating.Inconclusive,
                failed: false,
                reason: $"{metric.Name} has no value in [0, 1] to interpret.");
        }

        EvaluationRating rating = value switch
        {
            <= UnacceptableMaximum => EvaluationRating.Unacceptable,
            <= PoorMaximum => EvaluationRating.Poor,
            <= AverageMaximum => EvaluationRating.Average,
            <= GoodMaximum => EvaluationRating.Good,
            _ => EvaluationRating.Exceptional,
        };

        return value < PassingScore
            ? new EvaluationMetricInterpretation(
                rating,
                failed: true,
                reason: $"{metric.Name} = {Format(value)} is below the passing score {Format(PassingScore)}.")
            : new EvaluationMetricInterpretation(
                rating,
                failed: false,
                reason: $"{metric.Name} = {Format(value)} is at least the passing score {Format(PassingScore)}.");
    }
}
