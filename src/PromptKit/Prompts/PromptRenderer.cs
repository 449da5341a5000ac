using System.Globalization;
using System.Text;

namespace PromptKit;

/// <summary>Writes components as text under a <see cref="PromptFormat"/>; the one place where delimiting and escaping happen.</summary>
internal static class PromptRenderer
{
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
            AppendBody(builder, component, format, escapeTag: format.UserContentTag);
            builder.Append("\n</").Append(format.UserContentTag).Append('>');
        }
        else
        {
            AppendBody(builder, component, format, escapeTag: null);
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

    /// <summary>Appends user content, escaping every angle bracket that could open or close the delimiter tag.</summary>
    internal static void AppendEscaped(StringBuilder builder, string text, string tag)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsOpenAngle(text[i]) && FollowedByTag(text, i + 1, tag))
            {
                builder.Append(text, start, i - start).Append("&lt;");
                start = i + 1;
            }
        }

        builder.Append(text, start, text.Length - start);
    }

    private static void AppendBody(StringBuilder builder, PromptComponent component, PromptFormat format, string? escapeTag)
    {
        if (!component.IsList)
        {
            AppendText(builder, component.Text.Trim(), escapeTag);
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
            AppendText(builder, component.Items[i].Trim().ReplaceLineEndings(" "), escapeTag);
        }
    }

    private static void AppendText(StringBuilder builder, string text, string? escapeTag)
    {
        if (escapeTag is null)
        {
            builder.Append(text);
        }
        else
        {
            AppendEscaped(builder, text, escapeTag);
        }
    }

    private static bool IsOpenAngle(char c) => c is '<' or '\uFF1C' or '\uFE64' or '\u2039' or '\u3008' or '\u27E8';

    /// <summary>True when, after optional whitespace, an optional slash and more whitespace, <paramref name="tag"/> follows (ignoring case).</summary>
    private static bool FollowedByTag(string text, int index, string tag)
    {
        int i = SkipWhitespace(text, index);
        if (i < text.Length && text[i] is '/' or '\uFF0F' or '\\')
        {
            i = SkipWhitespace(text, i + 1);
        }

        return i + tag.Length <= text.Length
            && text.AsSpan(i, tag.Length).Equals(tag, StringComparison.OrdinalIgnoreCase);
    }

    private static int SkipWhitespace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }
}
