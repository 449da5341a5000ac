using System.Globalization;

namespace PromptKit;

/// <summary>A chrF or chrF++ score, as sacrebleu's <c>CHRFScore</c> reports it.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ChrfScore
{
    internal ChrfScore(double score, int charOrder, int wordOrder, int beta)
    {
        Score = score;
        CharOrder = charOrder;
        WordOrder = wordOrder;
        Beta = beta;
    }

    /// <summary>Gets the score, from 0 to 100.</summary>
    public double Score { get; }

    /// <summary>Gets the character n-gram order.</summary>
    public int CharOrder { get; }

    /// <summary>Gets the word n-gram order (2 for chrF++).</summary>
    public int WordOrder { get; }

    /// <summary>Gets β, the weight of recall relative to precision.</summary>
    public int Beta { get; }

    /// <summary>Gets the metric name as sacrebleu writes it: <c>chrF{β}</c> followed by one <c>+</c> per word order, e.g. <c>chrF2++</c>.</summary>
    public string Name => "chrF" + Beta.ToString(CultureInfo.InvariantCulture) + new string('+', WordOrder);

    /// <summary>Returns the score in sacrebleu's format, e.g. <c>chrF2++ = 74.94</c>.</summary>
    /// <returns>The formatted score.</returns>
    public override string ToString() => Name + " = " + PythonText.FormatFixed(Score, 2);
}
