using System.Buffers;
using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>
/// sacrebleu's <c>intl</c> tokenizer (<c>tokenizer_intl.TokenizerV14International</c>, after mteval-v14.pl's
/// international tokenization): punctuation and symbols are split off using Unicode general categories.
/// </summary>
/// <remarks>
/// <para>Three left-to-right passes over code points, like the <c>regex</c> module's <c>sub</c>, then a whitespace split:</para>
/// <list type="number">
/// <item><c>(\P{N})(\p{P})</c> becomes <c>\1 \2 </c> (punctuation preceded by a non-number);</item>
/// <item><c>(\p{P})(\P{N})</c> becomes <c> \1 \2</c> (punctuation followed by a non-number);</item>
/// <item><c>(\p{S})</c> becomes <c> \1 </c> (every symbol).</item>
/// </list>
/// <para>
/// No padding is added, so (as in mteval-v14.pl) a number followed by a final period keeps the period. Categories
/// come from .NET's Unicode data; a lone surrogate has category Cs (neither N, P nor S), as in Python.
/// </para>
/// </remarks>
internal sealed class InternationalTokenizer : SacreBleuTokenizer
{
    /// <summary>Gets the shared instance.</summary>
    public static InternationalTokenizer Instance { get; } = new();

    /// <inheritdoc/>
    public override string Signature => "intl";

    /// <inheritdoc/>
    public override void Tokenize(ReadOnlySpan<char> line, TokenBuffer output)
    {
        // Each pass at most doubles (passes 1 and 2) or triples (pass 3) the text.
        char[] first = output.First(line.Length * 2);
        int length = SeparatePunctuation(line, first, afterNonNumber: true);
        char[] second = output.Second(length * 2);
        length = SeparatePunctuation(first.AsSpan(0, length), second, afterNonNumber: false);
        first = output.First(length * 3);
        length = SeparateSymbols(second.AsSpan(0, length), first);
        output.SetText(first, length);
    }

    private static UnicodeCategory CategoryAt(ReadOnlySpan<char> text, int index, out int length)
    {
        if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out length) == OperationStatus.Done)
        {
            return Rune.GetUnicodeCategory(rune);
        }

        length = 1;
        return UnicodeCategory.Surrogate;
    }

    private static bool IsNumber(UnicodeCategory category) =>
        category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsPunctuation(UnicodeCategory category) => category is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsSymbol(UnicodeCategory category) => category is UnicodeCategory.MathSymbol
        or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;

    private static int SeparatePunctuation(ReadOnlySpan<char> text, Span<char> destination, bool afterNonNumber)
    {
        // afterNonNumber: (\P{N})(\p{P}) -> "\1 \2 "; otherwise (\p{P})(\P{N}) -> " \1 \2".
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            UnicodeCategory current = CategoryAt(text, i, out int currentLength);
            int next = i + currentLength;
            if (next < text.Length)
            {
                UnicodeCategory following = CategoryAt(text, next, out int followingLength);
                bool match = afterNonNumber
                    ? !IsNumber(current) && IsPunctuation(following)
                    : IsPunctuation(current) && !IsNumber(following);
                if (match)
                {
                    if (!afterNonNumber)
                    {
                        destination[written++] = ' ';
                    }

                    text.Slice(i, currentLength).CopyTo(destination[written..]);
                    written += currentLength;
                    destination[written++] = ' ';
                    text.Slice(next, followingLength).CopyTo(destination[written..]);
                    written += followingLength;
                    if (afterNonNumber)
                    {
                        destination[written++] = ' ';
                    }

                    i = next + followingLength;
                    continue;
                }
            }

            text.Slice(i, currentLength).CopyTo(destination[written..]);
            written += currentLength;
            i = next;
        }

        return written;
    }

    private static int SeparateSymbols(ReadOnlySpan<char> text, Span<char> destination)
    {
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            UnicodeCategory category = CategoryAt(text, i, out int length);
            bool symbol = IsSymbol(category);
            if (symbol)
            {
                destination[written++] = ' ';
            }

            text.Slice(i, length).CopyTo(destination[written..]);
            written += length;
            if (symbol)
            {
                destination[written++] = ' ';
            }

            i += length;
        }

        return written;
    }
}
