namespace PromptKit.Tests.Metrics.Tokenization;

/// <summary>
/// The original pass-by-pass 13a tokenizer (one left-to-right buffer pass per <c>str.replace</c>/<c>re.sub</c> of
/// sacrebleu's Tokenizer13a and TokenizerRegexp, exactly as written there), kept as the oracle that the fused
/// single-scan <see cref="Mteval13aTokenizer"/> is compared with on random and exhaustive inputs.
/// </summary>
internal static class Mteval13aPassTokenizer
{
    /// <summary>Tokenizes <paramref name="line"/> with one buffer pass per sacrebleu replacement.</summary>
    public static void Tokenize(ReadOnlySpan<char> line, TokenBuffer output)
    {
        // Language-independent part. Replacements never lengthen the text; keep one slot free at each end for the padding.
        int capacity = line.Length + 2;
        char[] source = output.First(capacity);
        char[] target = output.Second(capacity);
        int length = Replace(line, source.AsSpan(1), "<skipped>", string.Empty);
        length = ReplacePass(ref source, ref target, length, "-\n", string.Empty);
        length = ReplacePass(ref source, ref target, length, "\n", " ");
        if (source.AsSpan(1, length).Contains('&'))
        {
            length = ReplacePass(ref source, ref target, length, "&quot;", "\"");
            length = ReplacePass(ref source, ref target, length, "&amp;", "&");
            length = ReplacePass(ref source, ref target, length, "&lt;", "<");
            length = ReplacePass(ref source, ref target, length, "&gt;", ">");
        }

        source[0] = ' ';
        source[length + 1] = ' ';
        length += 2;

        // Language-dependent part (TokenizerRegexp). Pass 1 can triple the text, passes 2-4 can double it.
        target = EnsureOther(output, source, length * 3);
        length = SeparateSymbols(source.AsSpan(0, length), target);
        (source, target) = (target, source);

        ReadOnlySpan<char> text = source.AsSpan(0, length);
        if (text.ContainsAny('.', ','))
        {
            target = EnsureOther(output, source, length * 2);
            length = SeparatePeriodCommaAfterNonDigit(source.AsSpan(0, length), target);
            (source, target) = (target, source);

            target = EnsureOther(output, source, length * 2);
            length = SeparatePeriodCommaBeforeNonDigit(source.AsSpan(0, length), target);
            (source, target) = (target, source);
        }

        if (source.AsSpan(0, length).Contains('-'))
        {
            target = EnsureOther(output, source, length * 2);
            length = SeparateDashAfterDigit(source.AsSpan(0, length), target);
            (source, target) = (target, source);
        }

        output.SetText(source, length);
    }

    private static bool IsSeparatedSymbol(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    private static char[] EnsureOther(TokenBuffer output, char[] source, int length)
    {
        // The scratch array that is not `source`, grown to `length`.
        char[] first = output.First(0);
        return ReferenceEquals(source, first) ? output.Second(length) : output.First(length);
    }

    private static int ReplacePass(ref char[] source, ref char[] target, int length, string pattern, string replacement)
    {
        ReadOnlySpan<char> text = source.AsSpan(1, length);
        if (!text.Contains(pattern, StringComparison.Ordinal))
        {
            return length;
        }

        int written = Replace(text, target.AsSpan(1), pattern, replacement);
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

    private static int SeparateSymbols(ReadOnlySpan<char> text, Span<char> destination)
    {
        int written = 0;
        foreach (char c in text)
        {
            if (IsSeparatedSymbol(c))
            {
                destination[written++] = ' ';
                destination[written++] = c;
                destination[written++] = ' ';
            }
            else
            {
                destination[written++] = c;
            }
        }

        return written;
    }

    private static int SeparatePeriodCommaAfterNonDigit(ReadOnlySpan<char> text, Span<char> destination)
    {
        // ([^0-9])([\.,]) -> "\1 \2 "
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (i + 1 < text.Length && !char.IsAsciiDigit(c) && text[i + 1] is '.' or ',')
            {
                destination[written++] = c;
                destination[written++] = ' ';
                destination[written++] = text[i + 1];
                destination[written++] = ' ';
                i += 2;
            }
            else
            {
                destination[written++] = c;
                i++;
            }
        }

        return written;
    }

    private static int SeparatePeriodCommaBeforeNonDigit(ReadOnlySpan<char> text, Span<char> destination)
    {
        // ([\.,])([^0-9]) -> " \1 \2"
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (i + 1 < text.Length && c is '.' or ',' && !char.IsAsciiDigit(text[i + 1]))
            {
                destination[written++] = ' ';
                destination[written++] = c;
                destination[written++] = ' ';
                destination[written++] = text[i + 1];
                i += 2;
            }
            else
            {
                destination[written++] = c;
                i++;
            }
        }

        return written;
    }

    private static int SeparateDashAfterDigit(ReadOnlySpan<char> text, Span<char> destination)
    {
        // ([0-9])(-) -> "\1 \2 "
        int written = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (i + 1 < text.Length && char.IsAsciiDigit(c) && text[i + 1] == '-')
            {
                destination[written++] = c;
                destination[written++] = ' ';
                destination[written++] = '-';
                destination[written++] = ' ';
                i += 2;
            }
            else
            {
                destination[written++] = c;
                i++;
            }
        }

        return written;
    }
}
