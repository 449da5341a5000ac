using System.Buffers;
using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>Writes components as text under a <see cref="PromptFormat"/>; the one place where delimiting and escaping happen.</summary>
internal static class PromptRenderer
{
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\u0085\u2028\u2029\v\f");

    /// <summary>Appends one component (heading, body, delimiters). Empty components write nothing and return <see langword="false"/>.</summary>
    public static bool AppendComponent(StringBuilder builder, PromptComponent component, PromptFormat format)
    {
        if (component.IsEmpty)
        {
            return false;
        }

        string? heading = format.GetHeading(component);
        if (heading is not null)
        {
            if (format.HeadingStyle == PromptHeadingStyle.Markdown)
            {
                builder.Append("## ").Append(heading).Append('\n');
            }
            else
            {
                builder.Append(heading).Append(":\n");
            }
        }

        if (component.IsUserContent)
        {
            builder.Append('<').Append(format.UserContentTag).Append(" name=\"").Append(component.Name).Append("\">\n");
            AppendBody(builder, component, format, escape: true);
            builder.Append("\n</").Append(format.UserContentTag).Append('>');
        }
        else
        {
            AppendBody(builder, component, format, escape: false);
        }

        return true;
    }

    /// <summary>Renders components of the prompt, optionally only those of one role, joined by the section separator.</summary>
    public static string Render(Prompt prompt, PromptFormat format, PromptRole? role, bool includeNotice)
    {
        var builder = new StringBuilder();
        bool noticeWritten = !includeNotice || !format.IncludeUserContentNotice;
        foreach (PromptComponent component in prompt.Components)
        {
            if ((role is not null && component.Role != role.Value) || component.IsEmpty)
            {
                continue;
            }

            if (!noticeWritten && component.IsUserContent)
            {
                AppendSeparator(builder, format);
                builder.Append(format.UserContentNotice);
                noticeWritten = true;
            }

            AppendSeparator(builder, format);
            AppendComponent(builder, component, format);
        }

        return builder.ToString();
    }

    public static void AppendSeparator(StringBuilder builder, PromptFormat format)
    {
        if (builder.Length > 0)
        {
            builder.Append(format.SectionSeparator);
        }
    }

    /// <summary>
    /// Appends user content with only what could forge a delimiter escaped: <c>&lt;</c> and <c>&gt;</c> become XML
    /// entities, look-alike angle brackets and bidi embedding, override and isolate controls (U+202A–U+202E,
    /// U+2066–U+2069, which could reorder how the closing tag is displayed) become numeric character references, and an <c>&amp;</c> becomes
    /// <c>&amp;amp;</c> only where it could start a character reference (followed by <c>#</c> or an ASCII letter, as in
    /// <c>&amp;lt;</c>). Everything else is text and stays as written ("Hansel &amp; Gretel", quotes, apostrophes), so the
    /// content holds no tag at all, whatever invisible characters or letter cases it uses, and nothing a reader could
    /// decode into one.
    /// </summary>
    internal static void AppendEscaped(StringBuilder builder, string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            string? replacement = text[i] == '&' ? (StartsReference(text, i) ? "&amp;" : null) : Escape(text[i]);
            if (replacement is null)
            {
                continue;
            }

            builder.Append(text, start, i - start);
            if (replacement.Length == 0)
            {
                builder.Append("&#x").Append(((int)text[i]).ToString("X4", CultureInfo.InvariantCulture)).Append(';');
            }
            else
            {
                builder.Append(replacement);
            }

            start = i + 1;
        }

        builder.Append(text, start, text.Length - start);
    }

    /// <summary>True when the <c>&amp;</c> at <paramref name="at"/> could begin a character reference (<c>&amp;name</c> or <c>&amp;#…</c>).</summary>
    private static bool StartsReference(string text, int at) => at + 1 < text.Length && (text[at + 1] == '#' || char.IsAsciiLetter(text[at + 1]));

    /// <summary>The entity for a character that must not appear raw in user content (and, in headings, must not appear
    /// at all); empty for a numeric reference; <see langword="null"/> to keep it.</summary>
    private static string? Escape(char c) => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",

        // Angle-bracket look-alikes: full-width, small, single guillemets, CJK, mathematical, modifier and ornament forms.
        '\uFF1C' or '\uFF1E' or '\uFE64' or '\uFE65' or '\u2039' or '\u203A' or '\u3008' or '\u3009' or '\u27E8' or '\u27E9'
            or '\u2329' or '\u232A' or '\u02C2' or '\u02C3' or '\u276E' or '\u276F' or '\u276C' or '\u276D' or '\u29FC' or '\u29FD'
            or '\u3010' or '\u3011' or '\u300A' or '\u300B' or '\u2264' or '\u2265' => string.Empty,

        // Bidi embedding, override and isolate controls ("Trojan Source", CVE-2021-42574): an unterminated one in user
        // content would reorder how the closing tag and everything after it is displayed.
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => string.Empty,
        _ => null,
    };

    private static void AppendBody(StringBuilder builder, PromptComponent component, PromptFormat format, bool escape)
    {
        if (!component.IsList)
        {
            AppendText(builder, component.Text.Trim(), escape);
            return;
        }

        for (int i = 0; i < component.Items.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('\n');
            }

            switch (format.ListStyle)
            {
                case PromptListStyle.Numbered:
                    builder.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ");
                    break;
                case PromptListStyle.Bulleted:
                    builder.Append("- ");
                    break;
                default:
                    break;
            }

            // Items are one line each: a newline inside an item would let it pose as several items.
            AppendText(builder, OneLine(component.Items[i].Trim()), escape);
        }
    }

    private static void AppendText(StringBuilder builder, string text, bool escape)
    {
        if (escape)
        {
            AppendEscaped(builder, text);
        }
        else
        {
            builder.Append(text);
        }
    }

    /// <summary>Replaces every line break (including U+0085, U+2028, U+2029, vertical tab and form feed) with a space.</summary>
    internal static string OneLine(string text)
    {
        if (text.AsSpan().IndexOfAny(LineBreaks) < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            source.AsSpan().CopyTo(span);
            span.ReplaceAny(LineBreaks, ' ');
        });
    }

    /// <summary>True when <paramref name="heading"/> is one line with no character that user content would have escaped (so it can't forge a tag).</summary>
    internal static bool IsSafeHeading(string heading)
    {
        if (heading.AsSpan().IndexOfAny(LineBreaks) >= 0)
        {
            return false;
        }

        foreach (char c in heading)
        {
            if (Escape(c) is not null)
            {
                return false;
            }
        }

        return true;
    }
}
