using System.Buffers;
using System.Runtime.CompilerServices;

namespace PromptKit;

/// <summary>
/// sacrebleu's default <c>13a</c> tokenizer (<c>tokenizer_13a.Tokenizer13a</c> followed by
/// <c>tokenizer_re.TokenizerRegexp</c>), equivalent to mteval-v13a.pl as used by WMT.
/// </summary>
/// <remarks>
/// <para>sacrebleu's steps, each one left-to-right pass like Python's <c>str.replace</c>/<c>re.sub</c>:</para>
/// <list type="number">
/// <item>remove <c>&lt;skipped&gt;</c>, remove <c>-\n</c>, replace <c>\n</c> by a space;</item>
/// <item>if the line contains <c>&amp;</c>: unescape <c>&amp;quot;</c>, <c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c> (in that order);</item>
/// <item>pad with one space on each side;</item>
/// <item><c>([\{-\~\[-\` -\&amp;\(-\+\:-\@\/])</c> becomes <c> \1 </c>;</item>
/// <item><c>([^0-9])([\.,])</c> becomes <c>\1 \2 </c> (period and comma unless preceded by a digit);</item>
/// <item><c>([\.,])([^0-9])</c> becomes <c> \1 \2</c> (period and comma unless followed by a digit);</item>
/// <item><c>([0-9])(-)</c> becomes <c>\1 \2 </c> (dash after a digit);</item>
/// <item>split on whitespace.</item>
/// </list>
/// <para>
/// Step 1 and 2 run as replacement passes only when the line holds <c>&lt;</c>, a line feed or <c>&amp;</c>. Steps 3 to 8
/// only insert spaces, so the tokens are the maximal runs of the text's non-space characters that no step separates;
/// they are found in one scan that decides, for each pair of adjacent characters <c>p</c>, <c>c</c> (with
/// <c>pp</c> before <c>p</c> and <c>n</c> after <c>c</c>, a missing one counting as a space), whether some step puts a space
/// between them:
/// </para>
/// <list type="bullet">
/// <item>step 4: <c>p</c> or <c>c</c> is a separated symbol;</item>
/// <item><c>c</c> is a period or comma: unless <c>p</c> is a digit (step 5), and then unless <c>n</c> is a digit (step 6, <c>c</c> is group 1);</item>
/// <item>
/// <c>p</c> is a period or comma: if <c>c</c> is not a digit (step 6, or step 5 already did), or if step 5 matched <c>p</c>
/// as its group 2. Step 5 leaves a space before every period or comma that follows a non-digit, so after it two of them
/// are never adjacent and step 6 matches every one that is followed by a non-digit; step 5 itself matches a period or comma
/// as group 2 exactly when the character before it is a non-digit that step 5 did not consume as group 2 (a recurrence
/// along runs of periods and commas);
/// </item>
/// <item>step 7: <c>p</c> is a digit and <c>c</c> a dash, or <c>p</c> is a dash after the digit <c>pp</c> (no other step
/// ever separates a digit from a dash).</item>
/// </list>
/// <para>
/// The two-character patterns only test ASCII characters, so matching UTF-16 units gives the same output as
/// Python's code-point matching (a surrogate is never a digit, period, comma, dash, symbol or space). Tests compare
/// this scan with the literal pass-by-pass implementation exhaustively on short strings and on seeded random ones.
/// </para>
/// </remarks>
internal sealed class Mteval13aTokenizer : SacreBleuTokenizer
{
    private const byte Plain = 0;
    private const byte Digit = 1;
    private const byte PeriodComma = 2;
    private const byte Dash = 3;
    private const byte Symbol = 4;
    private const byte Space = 5;

    private static readonly SearchValues<char> LanguageIndependentTriggers = SearchValues.Create("<\n&");
    private static readonly SearchValues<char> AsciiLettersAndDigits =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly byte[] AsciiClasses = CreateAsciiClasses();

    /// <summary>Gets the shared instance.</summary>
    public static Mteval13aTokenizer Instance { get; } = new();

    /// <inheritdoc/>
    public override string Signature => "13a";

    /// <inheritdoc/>
    public override void Tokenize(ReadOnlySpan<char> line, TokenBuffer output)
    {
        char[] text;
        int length;
        if (line.IndexOfAny(LanguageIndependentTriggers) < 0)
        {
            text = output.First(line.Length);
            line.CopyTo(text);
            length = line.Length;
        }
        else
        {
            (text, length) = ApplyLanguageIndependentPart(line, output);
        }

        Split(text, length, output);
    }

    /// <summary>Whether <paramref name="c"/> is in the class <c>[\{-\~\[-\` -\&amp;\(-\+\:-\@\/]</c>.</summary>
    internal static bool IsSeparatedSymbol(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    private static byte[] CreateAsciiClasses()
    {
        byte[] classes = new byte[128];
        for (int i = 0; i < classes.Length; i++)
        {
            char c = (char)i;
            classes[i] = PythonText.IsWhiteSpace(c) ? Space
                : IsSeparatedSymbol(c) ? Symbol
                : char.IsAsciiDigit(c) ? Digit
                : c is '.' or ',' ? PeriodComma
                : c == '-' ? Dash
                : Plain;
        }

        return classes;
    }

    /// <summary>Steps 3 to 8 of the remarks in one scan over <paramref name="text"/>[0..<paramref name="length"/>].</summary>
    private static void Split(char[] text, int length, TokenBuffer output)
    {
        output.Reset(text);
        ReadOnlySpan<char> span = text.AsSpan(0, length);
        byte[] classes = AsciiClasses;
        int start = -1;
        int previous = Space;              // the padding before the text
        bool previousMatched = false;      // whether step 5 matched the previous character as its group 2
        int j = 0;
        while (j < span.Length)
        {
            char c = span[j];
            int current = c < 128 ? classes[c] : PythonText.IsWhiteSpace(c) ? Space : Plain;
            bool matched = current == PeriodComma && previous != Digit && !previousMatched;
            if (current == Space)
            {
                if (start >= 0)
                {
                    output.Add(start, j - start);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = j;
            }
            else if ((previous | current) > Digit && IsBoundary(span, j, previous, current, previousMatched))
            {
                output.Add(start, j - start);
                start = j;
            }

            previous = current;
            previousMatched = matched;
            j++;
            if (start >= 0 && current <= Digit)
            {
                // Inside a token: the following ASCII letters and digits join it, so skip them in one vectorized search.
                int run = span[j..].IndexOfAnyExcept(AsciiLettersAndDigits);
                run = run < 0 ? span.Length - j : run;
                if (run > 0)
                {
                    j += run;
                    previous = classes[span[j - 1]];
                }
            }
        }

        if (start >= 0)
        {
            output.Add(start, span.Length - start);
        }
    }

    /// <summary>Whether a step separates the non-space characters at <paramref name="j"/> - 1 and <paramref name="j"/> (see the remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBoundary(ReadOnlySpan<char> text, int j, int previous, int current, bool previousMatched)
    {
        if (previous == Symbol || current == Symbol)
        {
            return true;
        }

        if (current == PeriodComma)
        {
            return previous != Digit || j + 1 == text.Length || !char.IsAsciiDigit(text[j + 1]);
        }

        if (previous == PeriodComma)
        {
            return current != Digit || previousMatched;
        }

        if (current == Dash && previous == Digit)
        {
            return true;
        }

        return previous == Dash && j >= 2 && char.IsAsciiDigit(text[j - 2]);
    }

    /// <summary>Steps 1 and 2: returns the buffer holding the result and its length.</summary>
    private static (char[] Text, int Length) ApplyLanguageIndependentPart(ReadOnlySpan<char> line, TokenBuffer output)
    {
        // Replacements never lengthen the text.
        char[] source = output.First(line.Length);
        char[] target = output.Second(line.Length);
        int length = Replace(line, source, "<skipped>", string.Empty);
        length = ReplacePass(ref source, ref target, length, "-\n", string.Empty);
        length = ReplacePass(ref source, ref target, length, "\n", " ");
        if (source.AsSpan(0, length).Contains('&'))
        {
            length = ReplacePass(ref source, ref target, length, "&quot;", "\"");
            length = ReplacePass(ref source, ref target, length, "&amp;", "&");
            length = ReplacePass(ref source, ref target, length, "&lt;", "<");
            length = ReplacePass(ref source, ref target, length, "&gt;", ">");
        }

        return (source, length);
    }

    private static int ReplacePass(ref char[] source, ref char[] target, int length, string pattern, string replacement)
    {
        ReadOnlySpan<char> text = source.AsSpan(0, length);
        if (!text.Contains(pattern, StringComparison.Ordinal))
        {
            return length;
        }

        int written = Replace(text, target, pattern, replacement);
        (source, target) = (target, source);
        return written;
    }

    /// <summary>Python's <c>str.replace</c> for a replacement no longer than the pattern.</summary>
    private static int Replace(ReadOnlySpan<char> text, Span<char> destination, string pattern, string replacement)
    {
        int written = 0;
        while (true)
        {
            int index = text.IndexOf(pattern, StringComparison.Ordinal);
            if (index < 0)
            {
                text.CopyTo(destination[written..]);
                return written + text.Length;
            }

            text[..index].CopyTo(destination[written..]);
            written += index;
            replacement.AsSpan().CopyTo(destination[written..]);
            written += replacement.Length;
            text = text[(index + pattern.Length)..];
        }
    }
}
