using System.Collections.Immutable;

namespace PromptKit;

// TEMPORARY: replaced by the generation-pipeline branch's SentenceSplitter at merge.
internal static class SentenceSplitter
{
    public static ImmutableArray<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = ImmutableArray.CreateBuilder<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if ((text[i] is '.' or '!' or '?') && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                string s = text[start..(i + 1)].Trim();
                if (s.Length > 0) result.Add(s);
                start = i + 1;
            }
        }

        string rest = text[start..].Trim();
        if (rest.Length > 0) result.Add(rest);
        return result.ToImmutable();
    }
}
