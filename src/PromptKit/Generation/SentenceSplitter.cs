using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;

namespace PromptKit;

/// <summary>Splits English prose, such as a scientific abstract, into sentences with a few transparent rules.</summary>
/// <remarks>
/// <para>A sentence ends at <c>.</c>, <c>!</c> or <c>?</c> (with any closing quotes or brackets right after it) when
/// white space follows and the next non-space character is not a lower-case letter nor one of <c>, ; : . ? ! ) ] }</c>. So:</para>
/// <list type="bullet">
/// <item><description>a period inside a token never ends a sentence: decimals (<c>3.5</c>), versions, <c>e.g.,</c>, <c>U.S.A.</c>;</description></item>
/// <item><description>a period after an abbreviation (<c>et al.</c>, <c>cf.</c>, <c>vs.</c>, <c>Fig.</c>, <c>Eq.</c>,
/// <c>Ref.</c>, <c>Sec.</c>, <c>Math.</c>, <c>Phys.</c>, <c>Proc.</c>, <c>Prof.</c>, … compared case-insensitively) or after
/// dotted initials (runs of one or two letters joined by periods: <c>e.g.</c>, <c>i.e.</c>, <c>w.r.t.</c>, <c>A.V.</c>,
/// <c>U.S.A.</c>) never ends a sentence,
/// nor does one after a single letter in a chain of initials (<c>A. I. Zenchuk</c>: the next or the previous token is
/// also a letter and a period); a lone single letter does end one (<c>the group G. We show</c>), so a lone initial
/// (<c>J. Smith</c>) splits;</description></item>
/// <item><description>nothing inside inline LaTeX math (<c>$…$</c> or <c>$$…$$</c>) ends a sentence; an unclosed <c>$</c>
/// runs to the end of the text;</description></item>
/// <item><description>a blank line (two line breaks with only white space between) always ends a sentence.</description></item>
/// </list>
/// <para>Each sentence is trimmed and its runs of white space become one space; empty sentences are dropped. The text
/// after the last end mark is the last sentence. The splitter is stateless and thread-safe.</para>
/// </remarks>
public static class SentenceSplitter
{
    private static readonly FrozenSet<string> Abbreviations = FrozenSet.ToFrozenSet(
    [
        "al", "ann", "approx", "ca", "cf", "ch", "co", "dr", "ed", "eds", "eq", "eqn", "eqs", "etc", "fig", "figs", "inc",
        "jr", "lett", "ltd", "math", "mr", "mrs", "ms", "no", "nos", "phys", "pp", "proc", "prof", "ref", "refs", "resp",
        "rev", "sec", "sect", "sr", "st", "tab", "thm", "viz", "vol", "vs",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits <paramref name="text"/> into sentences.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The sentences in order, trimmed, white space collapsed; empty for empty or white-space text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static ImmutableArray<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        bool inMath = false;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '$')
            {
                int run = text.AsSpan(i).IndexOfAnyExcept('$');
                run = run < 0 ? text.Length - i : run;
                current.Append(text, i, run);
                i += run;
                inMath = !inMath;
                continue;
            }

            if (!inMath && c == '\n' && IsBlankLineAhead(text, i))
            {
                Flush(current, sentences);
                i++;
                continue;
            }

            current.Append(c);
            i++;
            if (inMath || (c != '.' && c != '!' && c != '?'))
            {
                continue;
            }

            while (i < text.Length && text[i] is '"' or '\'' or ')' or ']' or '}' or '\u201D' or '\u2019')
            {
                current.Append(text[i]);
                i++;
            }

            if (EndsSentence(text, i, current, c))
            {
                Flush(current, sentences);
            }
        }

        Flush(current, sentences);
        return sentences.ToImmutable();
    }

    private static bool EndsSentence(string text, int next, StringBuilder current, char mark)
    {
        if (next < text.Length && !char.IsWhiteSpace(text[next]))
        {
            return false;
        }

        int j = next;
        while (j < text.Length && char.IsWhiteSpace(text[j]))
        {
            j++;
        }

        if (j < text.Length && (char.IsLower(text[j]) || text[j] is ',' or ';' or ':' or '.' or '?' or '!' or ')' or ']' or '}'))
        {
            return false;
        }

        return mark != '.' || !EndsWithAbbreviation(current, text, j);
    }

    private static bool EndsWithAbbreviation(StringBuilder current, string text, int nextWord)
    {
        int end = current.Length - 1;
        while (end >= 0 && current[end] != '.')
        {
            end--;
        }

        int start = end;
        while (start > 0 && (char.IsLetter(current[start - 1]) || current[start - 1] == '.'))
        {
            start--;
        }

        int length = end - start;
        if (length <= 0)
        {
            return false;
        }

        if (IsDottedInitials(current, start, end))
        {
            return true;
        }

        if (length == 1 && char.IsLetter(current[start]))
        {
            // An initial only in a chain of initials: "A. I. Zenchuk" (the next or the previous token is "X."), so that
            // "the group G. We show" still ends a sentence.
            bool nextIsInitial = nextWord + 1 < text.Length && char.IsLetter(text[nextWord]) && text[nextWord + 1] == '.';
            bool previousIsInitial = start >= 3 && char.IsWhiteSpace(current[start - 1]) && current[start - 2] == '.'
                && char.IsLetter(current[start - 3]) && (start == 3 || !char.IsLetterOrDigit(current[start - 4]));
            return nextIsInitial || previousIsInitial;
        }

        return Abbreviations.Contains(current.ToString(start, length));
    }

    // "e.g", "i.e", "w.r.t", "A.V", "Lj.D.R": two or more runs of one or two letters joined by periods.
    private static bool IsDottedInitials(StringBuilder current, int start, int end)
    {
        int segments = 0;
        int run = 0;
        for (int k = start; k < end; k++)
        {
            if (current[k] == '.')
            {
                if (run == 0 || run > 2)
                {
                    return false;
                }

                segments++;
                run = 0;
            }
            else
            {
                run++;
            }
        }

        return segments >= 1 && run is > 0 and <= 2;
    }

    private static bool IsBlankLineAhead(string text, int newline)
    {
        for (int j = newline + 1; j < text.Length; j++)
        {
            if (text[j] == '\n')
            {
                return true;
            }

            if (!char.IsWhiteSpace(text[j]))
            {
                return false;
            }
        }

        return false;
    }

    private static void Flush(StringBuilder current, ImmutableArray<string>.Builder sentences)
    {
        var normalized = new StringBuilder(current.Length);
        bool pendingSpace = false;
        for (int k = 0; k < current.Length; k++)
        {
            char ch = current[k];
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = normalized.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                normalized.Append(' ');
                pendingSpace = false;
            }

            normalized.Append(ch);
        }

        if (normalized.Length > 0)
        {
            sentences.Add(normalized.ToString());
        }

        current.Clear();
    }
}
