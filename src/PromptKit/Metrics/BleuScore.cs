using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>A BLEU score and its parts, as sacrebleu's <c>BLEUScore</c> reports them.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class BleuScore
{
    internal BleuScore(double score, double[] counts, double[] totals, double[] precisions, double brevityPenalty, long systemLength, long referenceLength)
    {
        Score = score;
        Counts = ImmutableArray.Create(counts);
        Totals = ImmutableArray.Create(totals);
        Precisions = ImmutableArray.Create(precisions);
        BrevityPenalty = brevityPenalty;
        SystemLength = systemLength;
        ReferenceLength = referenceLength;
    }

    /// <summary>Gets the BLEU score, from 0 to 100 (floating point can give 100.00000000000004 for identical text, as in sacrebleu).</summary>
    public double Score { get; }

    /// <summary>
    /// Gets the matched (clipped) n-gram counts per order (index 0 = unigrams). With <see cref="BleuSmoothing.AddK"/>
    /// the smoothing value is included for orders 2 and up that were reached, as in sacrebleu.
    /// </summary>
    public ImmutableArray<double> Counts { get; }

    /// <summary>Gets the hypothesis n-gram counts per order (with the add-k value included like <see cref="Counts"/>).</summary>
    public ImmutableArray<double> Totals { get; }

    /// <summary>Gets the (smoothed) n-gram precisions per order, in percent; 0 for orders not reached.</summary>
    public ImmutableArray<double> Precisions { get; }

    /// <summary>Gets the brevity penalty: 1 when the hypothesis is at least as long as the reference, 0 for an empty hypothesis.</summary>
    public double BrevityPenalty { get; }

    /// <summary>Gets the hypothesis length in tokens (sacrebleu <c>sys_len</c>).</summary>
    public long SystemLength { get; }

    /// <summary>Gets the closest reference length in tokens (sacrebleu <c>ref_len</c>).</summary>
    public long ReferenceLength { get; }

    /// <summary>Gets <see cref="SystemLength"/> / <see cref="ReferenceLength"/>, or 0 when the reference length is 0.</summary>
    public double Ratio => ReferenceLength == 0 ? 0.0 : (double)SystemLength / ReferenceLength;

    /// <summary>Returns the score in sacrebleu's format, e.g. <c>BLEU = 50.46 87.6/55.1/41.4/32.4 (BP = 1.000 ratio = 1.007 hyp_len = 10059 ref_len = 9989)</c>.</summary>
    /// <returns>The formatted score.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder("BLEU = ");
        builder.Append(PythonText.FormatFixed(Score, 2)).Append(' ');
        for (int i = 0; i < Precisions.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            builder.Append(PythonText.FormatFixed(Precisions[i], 1));
        }

        builder.Append(" (BP = ").Append(PythonText.FormatFixed(BrevityPenalty, 3))
            .Append(" ratio = ").Append(PythonText.FormatFixed(Ratio, 3))
            .Append(" hyp_len = ").Append(SystemLength.ToString(CultureInfo.InvariantCulture))
            .Append(" ref_len = ").Append(ReferenceLength.ToString(CultureInfo.InvariantCulture))
            .Append(')');
        return builder.ToString();
    }
}
