namespace PromptKit;

/// <summary>Checks shared by the RPP types for sentences of an action space.</summary>
internal static class RppText
{
    /// <summary>Throws when <paramref name="sentence"/> is <see langword="null"/>, has a line break, or (unless allowed) is empty or white space.</summary>
    public static void ThrowIfNotSentence(string sentence, string paramName, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(sentence, paramName);
        if (!allowEmpty && string.IsNullOrWhiteSpace(sentence))
        {
            throw new ArgumentException("The sentence is empty or white space; give a sentence with text.", paramName);
        }

        if (sentence.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"The sentence '{sentence.ReplaceLineEndings(" ")}' has a line break; a sentence of an action space is one line.", paramName);
        }
    }

    /// <summary>Throws when <paramref name="context"/> is <see langword="null"/> or holds a <see langword="null"/> line (a refinement context).</summary>
    public static void ThrowIfBadContext(IReadOnlyList<string> context, string paramName)
    {
        ArgumentNullException.ThrowIfNull(context, paramName);
        for (int i = 0; i < context.Count; i++)
        {
            if (context[i] is null)
            {
                throw new ArgumentException($"The context line at index {i} is null.", paramName);
            }
        }
    }

    public static void ThrowIfUndefined(RppPattern pattern, string paramName)
    {
        if (!Enum.IsDefined(pattern))
        {
            throw new ArgumentOutOfRangeException(paramName, pattern, $"Pattern {(int)pattern} is not a defined {nameof(RppPattern)} value.");
        }
    }
}
