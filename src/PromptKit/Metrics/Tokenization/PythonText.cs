using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>
/// Python 3 string semantics that sacrebleu relies on: <c>str.split()</c>/<c>str.isspace()</c> whitespace,
/// <c>str.rstrip()</c>, <c>str.lower()</c> and the <c>f"{x:.Nf}"</c> fixed-point format.
/// </summary>
internal static class PythonText
{
    /// <summary>Returns whether Python's <c>str.isspace()</c> is true for <paramref name="c"/>.</summary>
    /// <remarks>
    /// Python treats as whitespace every character of bidirectional class WS, B or S or category Zs. That is .NET's
    /// <see cref="char.IsWhiteSpace(char)"/> plus the information separators U+001C..U+001F.
    /// </remarks>
    public static bool IsWhiteSpace(char c) =>
        c <= '\u007F' ? c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F') : char.IsWhiteSpace(c);

    /// <summary>Returns the length of <paramref name="text"/> after Python's <c>str.rstrip()</c>.</summary>
    public static int RStripLength(ReadOnlySpan<char> text)
    {
        int length = text.Length;
        while (length > 0 && IsWhiteSpace(text[length - 1]))
        {
            length--;
        }

        return length;
    }

    /// <summary>
    /// Writes Python's <c>str.lower()</c> of <paramref name="text"/> into <paramref name="buffer"/> (grown when needed)
    /// and returns the number of characters written.
    /// </summary>
    /// <remarks>
    /// Python applies the full lower-case mapping: simple mappings, plus U+0130 (capital I with dot above) to
    /// "i&#x0307;" and the Final_Sigma rule for U+03A3. Cased and case-ignorable characters for Final_Sigma are
    /// recognised by general category (Lu/Ll/Lt; Mn/Me/Cf/Lm/Sk and the Word_Break mid-letter punctuation).
    /// </remarks>
    public static int Lower(ReadOnlySpan<char> text, ref char[] buffer)
    {
        // U+0130 is the only code point whose lower-case form is longer (1 UTF-16 unit -> 2).
        Grow(ref buffer, checked(text.Length * 2));
        Span<char> destination = buffer;
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < '\u0080')
            {
                destination[written++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                destination[written++] = c;   // lone surrogate: Python keeps it unchanged
                i++;
                continue;
            }

            if (rune.Value == 0x0130)
            {
                destination[written++] = 'i';
                destination[written++] = '\u0307';
            }
            else if (rune.Value == 0x03A3)
            {
                destination[written++] = IsFinalSigma(text, i) ? '\u03C2' : '\u03C3';
            }
            else
            {
                written += Rune.ToLowerInvariant(rune).EncodeToUtf16(destination[written..]);
            }

            i += consumed;
        }

        return written;
    }

    /// <summary>Ensures <paramref name="buffer"/> holds at least <paramref name="length"/> elements, keeping its content.</summary>
    public static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(length, (int)Math.Min(Array.MaxLength, buffer.Length * 2L)));
        }
    }

    /// <summary>Formats <paramref name="value"/> as Python's <c>f"{value:.{digits}f}"</c> (round half to even on the exact binary value).</summary>
    public static string FormatFixed(double value, int digits)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        // "F" with a large precision prints the exact binary value (.NET Core 3.0 and later), so ties are visible.
        string exact = Math.Abs(value).ToString("F" + (digits + 400).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int cut = exact.IndexOf('.') + 1 + digits;
        decimal kept = decimal.Parse(exact.AsSpan(0, digits == 0 ? cut - 1 : cut), NumberStyles.Float, CultureInfo.InvariantCulture);
        ReadOnlySpan<char> rest = exact.AsSpan(cut);
        bool roundUp;
        if (rest[0] > '5')
        {
            roundUp = true;
        }
        else if (rest[0] < '5')
        {
            roundUp = false;
        }
        else
        {
            bool exactTie = rest[1..].IndexOfAnyExcept('0') < 0;
            char last = digits == 0 ? exact[cut - 2] : exact[cut - 1];
            roundUp = !exactTie || (last - '0') % 2 == 1;
        }

        if (roundUp)
        {
            kept += Pow10Inverse(digits);
        }

        string text = kept.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return value < 0 || (value == 0 && double.IsNegative(value)) ? "-" + text : text;
    }

    private static decimal Pow10Inverse(int digits)
    {
        decimal step = 1m;
        for (int i = 0; i < digits; i++)
        {
            step /= 10m;
        }

        return step;
    }

    private static bool IsFinalSigma(ReadOnlySpan<char> text, int index)
    {
        // \p{cased} \p{case-ignorable}* U+03A3 !( \p{case-ignorable}* \p{cased} ), as CPython's handle_capital_sigma.
        int j = index;
        bool casedBefore = false;
        while (j > 0)
        {
            Rune previous = PreviousRune(text, ref j);
            if (IsCaseIgnorable(previous))
            {
                continue;
            }

            casedBefore = IsCased(previous);
            break;
        }

        if (!casedBefore)
        {
            return false;
        }

        j = index + 1;
        while (j < text.Length)
        {
            if (Rune.DecodeFromUtf16(text[j..], out Rune next, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return true;
            }

            j += consumed;
            if (IsCaseIgnorable(next))
            {
                continue;
            }

            return !IsCased(next);
        }

        return true;
    }

    private static Rune PreviousRune(ReadOnlySpan<char> text, ref int index)
    {
        if (Rune.DecodeLastFromUtf16(text[..index], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
        {
            index--;
            return Rune.ReplacementChar;
        }

        index -= consumed;
        return rune;
    }

    private static bool IsCased(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune rune)
    {
        switch (rune.Value)
        {
            case '\'' or '.' or ':' or '^' or '`' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024
                or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A:
                return true;
            default:
                return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                    or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
        }
    }
}
