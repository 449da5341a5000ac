using System.Collections.Immutable;
using System.Text;

namespace PromptKit;

/// <summary>A text template whose <c>{name}</c> placeholders are replaced by the prompt's components.</summary>
/// <remarks>
/// <para>Syntax: <c>{name}</c> is replaced by the rendered component of that name (heading, content and, for user
/// content, its delimiters, under the <see cref="PromptFormat"/> given); <c>{{</c> and <c>}}</c> write literal braces.
/// A placeholder naming a component the prompt lacks renders as nothing, so a prompt edited with
/// <see cref="Prompt.Without(string)"/> still renders. Substitution is a single pass: braces inside component content are
/// never read as placeholders.</para>
/// <para>When a rendered placeholder holds user content and <see cref="PromptFormat.IncludeUserContentNotice"/> is set,
/// the notice is written before the template's text.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class PromptTemplate
{
    private readonly ImmutableArray<Segment> _segments;

    private PromptTemplate(string text, ImmutableArray<Segment> segments)
    {
        Text = text;
        _segments = segments;
        ImmutableArray<string>.Builder names = ImmutableArray.CreateBuilder<string>();
        foreach (Segment segment in segments)
        {
            if (segment.IsPlaceholder && !names.Contains(segment.Value))
            {
                names.Add(segment.Value);
            }
        }

        Placeholders = names.ToImmutable();
    }

    /// <summary>Gets the template text as parsed.</summary>
    public string Text { get; }

    /// <summary>Gets the distinct component names the template refers to, in order of first use.</summary>
    public ImmutableArray<string> Placeholders { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is <see langword="null"/>.</exception>
    /// <exception cref="PromptTemplateException">A brace is unmatched or a placeholder is not a valid component name; <see cref="PromptTemplateException.Position"/> says where.</exception>
    public static PromptTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        ImmutableArray<Segment>.Builder segments = ImmutableArray.CreateBuilder<Segment>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i];
            if (c == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    literal.Append('{');
                    i += 2;
                    continue;
                }

                int close = template.IndexOf('}', i + 1);
                if (close < 0)
                {
                    throw new PromptTemplateException($"The '{{' at position {i} has no closing '}}'. Write '{{{{' for a literal brace.", i);
                }

                string name = template[(i + 1)..close];
                if (!PromptComponent.IsValidName(name))
                {
                    throw new PromptTemplateException(
                        $"The placeholder '{{{name}}}' at position {i} is not a valid component name. Use 1 to 64 ASCII letters, digits, '_', '-' or '.', starting with a letter; write '{{{{' for a literal brace.",
                        i);
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), IsPlaceholder: false));
                    literal.Clear();
                }

                segments.Add(new Segment(name, IsPlaceholder: true));
                i = close + 1;
            }
            else if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    literal.Append('}');
                    i += 2;
                    continue;
                }

                throw new PromptTemplateException($"The '}}' at position {i} has no opening '{{'. Write '}}}}' for a literal brace.", i);
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), IsPlaceholder: false));
        }

        return new PromptTemplate(template, segments.ToImmutable());
    }

    /// <summary>Renders <paramref name="prompt"/> through this template.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="format">The format for each component, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    public string Render(Prompt prompt, PromptFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        format ??= PromptFormat.Default;
        var body = new StringBuilder();
        bool anyUserContent = false;
        foreach (Segment segment in _segments)
        {
            if (!segment.IsPlaceholder)
            {
                body.Append(segment.Value);
            }
            else if (prompt.TryGetComponent(segment.Value, out PromptComponent? component))
            {
                anyUserContent |= component.IsUserContent && !component.IsEmpty;
                PromptRenderer.AppendComponent(body, component, format);
            }
        }

        if (anyUserContent && format.IncludeUserContentNotice)
        {
            body.Insert(0, format.UserContentNotice + format.SectionSeparator);
        }

        return body.ToString();
    }

    /// <summary>Returns the template text.</summary>
    /// <returns>The template text.</returns>
    public override string ToString() => Text;

    private readonly record struct Segment(string Value, bool IsPlaceholder);
}
