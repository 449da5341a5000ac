namespace PromptKit;

/// <summary>Precision, recall and F-measure of one ROUGE type, each in [0, 1], as rouge-score's <c>Score</c> tuple.</summary>
public readonly record struct RougeScore
{
    /// <summary>Initializes a new instance of the <see cref="RougeScore"/> struct.</summary>
    /// <param name="precision">Matched units divided by the prediction's units.</param>
    /// <param name="recall">Matched units divided by the reference's units.</param>
    /// <param name="fMeasure">The harmonic mean of <paramref name="precision"/> and <paramref name="recall"/>.</param>
    public RougeScore(double precision, double recall, double fMeasure)
    {
        Precision = precision;
        Recall = recall;
        FMeasure = fMeasure;
    }

    /// <summary>Gets the precision: matched units divided by the number of units in the prediction.</summary>
    public double Precision { get; }

    /// <summary>Gets the recall: matched units divided by the number of units in the reference.</summary>
    public double Recall { get; }

    /// <summary>
    /// Gets the F-measure <c>2 * P * R / (P + R)</c>, or 0 when <c>P + R</c> is 0 (rouge-score's <c>scoring.fmeasure</c>).
    /// </summary>
    public double FMeasure { get; }

    /// <summary>Creates a score from precision and recall, computing the F-measure exactly as rouge-score does.</summary>
    internal static RougeScore FromPrecisionRecall(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}
