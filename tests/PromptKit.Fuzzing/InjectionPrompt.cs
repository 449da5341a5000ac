using System.Globalization;
using System.Text;

namespace PromptKit.Fuzzing;

/// <summary>
/// Builds a prompt around untrusted text (a query, history records, retrieved entries) and checks that rendering keeps
/// the prompt's structure whatever the text holds. Shared by the <c>render</c> fuzz target and the prompt-injection
/// tests in PromptKit.Tests.
/// </summary>
public static class InjectionPrompt
{
    private const string Benign = "x";

    /// <summary>A fixed system part, then the untrusted parts as user data, then a fixed output format.</summary>
    /// <param name="query">The query text.</param>
    /// <param name="history">History records.</param>
    /// <param name="retrieved">Retrieved entries.</param>
    /// <returns>The prompt.</returns>
    public static Prompt Build(string query, IReadOnlyList<string> history, IReadOnlyList<string> retrieved) =>
        new PromptBuilder()
            .AddRolePlaying("You are a movie recommender.")
            .AddInstruction("Rank the candidates for the user.")
            .AddHistory(history)
            .AddRetrievedEntries(retrieved)
            .AddQuery(query)
            .AddOutputFormat("Answer with the candidate ids, best first, one per line.")
            .Build();

    /// <summary>Renders <paramref name="prompt"/> and checks its structure; throws <see cref="FuzzInvariantException"/> when it broke.</summary>
    /// <param name="prompt">A prompt made by <see cref="Build"/>.</param>
    /// <param name="format">The format to render with.</param>
    /// <returns>The rendered text.</returns>
    public static string CheckStructure(Prompt prompt, PromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(format);
        string rendered = prompt.Render(format);

        // The same prompt with harmless data of the same shape: the text outside the user-data blocks must not differ.
        var benign = new PromptBuilder();
        foreach (PromptComponent component in prompt.Components)
        {
            benign.Add(!component.IsUserContent ? component
                : component.IsList ? component.WithItems(component.Items.Select(_ => Benign))
                : component.WithText(component.IsEmpty ? string.Empty : Benign));
        }

        string reference = benign.Build().Render(format);
        List<PromptComponent> userComponents = [.. prompt.Components.Where(c => c.IsUserContent && !c.IsEmpty)];
        (string skeleton, List<string> blocks) = Split(rendered, format.UserContentTag);
        (string referenceSkeleton, List<string> referenceBlocks) = Split(reference, format.UserContentTag);
        Check(blocks.Count == userComponents.Count, $"one user-data block for each non-empty user component ({blocks.Count} blocks, {userComponents.Count} components)");
        Check(referenceBlocks.Count == blocks.Count && skeleton == referenceSkeleton, "the text outside the user-data blocks is the same as with harmless data");
        Check(Occurrences(skeleton, $"</{format.UserContentTag}>") == blocks.Count, "no closing tag outside the blocks' own");

        for (int b = 0; b < blocks.Count; b++)
        {
            string block = blocks[b];
            PromptComponent component = userComponents[b];
            Check(block.IndexOfAny(['<', '>']) < 0, "a user-data block holds no angle bracket");
            foreach (char c in block)
            {
                Check(!IsBidiControl(c), "a user-data block holds no bidi embedding, override or isolate control");
            }

            string[] lines = component.IsList ? block.Split('\n') : [block];
            Check(!component.IsList || lines.Length == component.Items.Length, "a list block has one line per item");
            for (int i = 0; i < lines.Length; i++)
            {
                string line = component.IsList ? StripMarker(lines[i], format.ListStyle, i) : lines[i];
                string expected = component.IsList ? OneLine(component.Items[i].Trim()) : component.Text.Trim();
                Check(Decode(line) == expected, "decoding the character references of a user-data block gives back the data");
            }
        }

        return rendered;
    }

    /// <summary>The Unicode embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which reorder the
    /// display of the text after them (CVE-2021-42574, "Trojan Source").</summary>
    /// <param name="c">The character.</param>
    /// <returns>Whether it is one of them.</returns>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static (string Skeleton, List<string> Blocks) Split(string rendered, string tag)
    {
        string open = $"<{tag} name=\"";
        string close = $"\n</{tag}>";
        var skeleton = new StringBuilder();
        var blocks = new List<string>();
        int at = 0;
        while (true)
        {
            int start = rendered.IndexOf(open, at, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            int bodyStart = rendered.IndexOf("\">\n", start, StringComparison.Ordinal);
            Check(bodyStart > 0, "an opening user-data tag is complete");
            bodyStart += 3;
            int end = rendered.IndexOf(close, bodyStart, StringComparison.Ordinal);
            Check(end >= 0, "every user-data block is closed");
            skeleton.Append(rendered, at, bodyStart - at).Append('\u2026');
            blocks.Add(rendered[bodyStart..end]);
            at = end;
        }

        skeleton.Append(rendered, at, rendered.Length - at);
        return (skeleton.ToString(), blocks);
    }

    private static string StripMarker(string line, PromptListStyle style, int index)
    {
        string marker = style switch
        {
            PromptListStyle.Numbered => string.Create(CultureInfo.InvariantCulture, $"{index + 1}. "),
            PromptListStyle.Bulleted => "- ",
            _ => string.Empty,
        };
        Check(line.StartsWith(marker, StringComparison.Ordinal), "a list line starts with its marker");
        return line[marker.Length..];
    }

    /// <summary>Decodes the character references the renderer writes; fails on any other use of '&amp;' that could start
    /// one, and on a reference to an ordinary character (data must read as written, not as entities).</summary>
    private static string Decode(string text)
    {
        var decoded = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '&' || i + 1 >= text.Length || !(text[i + 1] == '#' || char.IsAsciiLetter(text[i + 1])))
            {
                decoded.Append(c);
                continue;
            }

            int semicolon = text.IndexOf(';', i);
            Check(semicolon > i, "a character reference is terminated");
            string entity = text[(i + 1)..semicolon];
            char value = entity switch
            {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                _ when entity.StartsWith("#x", StringComparison.Ordinal)
                    && int.TryParse(entity.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code) && code is > 0 and <= 0xFFFF => (char)code,
                _ => throw new FuzzInvariantException($"unexpected character reference '&{entity};'"),
            };
            Check(value is '<' or '>' or '&' || (value > '\u007F' && !char.IsLetterOrDigit(value) && !char.IsWhiteSpace(value)),
                $"only delimiter characters and their look-alikes are written as references (found U+{(int)value:X4})");
            Check(value != '&' || (semicolon + 1 < text.Length && (text[semicolon + 1] == '#' || char.IsAsciiLetter(text[semicolon + 1]))),
                "'&' is escaped only where it could start a reference");
            decoded.Append(value);
            i = semicolon;
        }

        return decoded.ToString();
    }

    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text);
        for (int i = 0; i < builder.Length; i++)
        {
            if (builder[i] is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029' or '\v' or '\f')
            {
                builder[i] = ' ';
            }
        }

        return builder.ToString();
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void Check(bool condition, string invariant) => FuzzInvariantException.ThrowIfFalse(condition, invariant);
}
