using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>The request and response format of RPP+ refinement: a model rewrites one chosen sentence of a pattern.</summary>
/// <remarks>
/// <para>Send <see cref="CreateRequest"/>'s messages to the refining model, read its answer with
/// <see cref="ParseResponse"/>, and put an accepted text into the selection with <see cref="RppSelection.WithRefinedText"/>;
/// <see langword="null"/> means "keep the original sentence".</para>
/// </remarks>
public static class RppRefinement
{
    /// <summary>The longest refined sentence <see cref="ParseResponse"/> accepts, in characters.</summary>
    public const int MaxSentenceLength = 400;

    /// <summary>Gets the system instruction of a refinement request for <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>"Rewrite this {pattern} sentence of a movie-recommendation prompt to be clearer and more effective. Answer with the rewritten sentence only.", the pattern written as words (for example "reasoning-guidance").</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    public static string GetInstruction(RppPattern pattern)
    {
        RppText.ThrowIfUndefined(pattern, nameof(pattern));
        return $"Rewrite this {GetPatternName(pattern)} sentence of a movie-recommendation prompt to be clearer and more effective. Answer with the rewritten sentence only.";
    }

    /// <summary>Gets the pattern written as words, as the instruction names it: role-playing, history-records, reasoning-guidance or output-format.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    public static string GetPatternName(RppPattern pattern)
    {
        RppText.ThrowIfUndefined(pattern, nameof(pattern));
        return pattern switch
        {
            RppPattern.RolePlaying => "role-playing",
            RppPattern.HistoryRecords => "history-records",
            RppPattern.ReasoningGuidance => "reasoning-guidance",
            _ => "output-format",
        };
    }

    /// <summary>Creates the chat messages that ask a model to rewrite <paramref name="sentence"/>.</summary>
    /// <param name="pattern">The pattern the sentence belongs to.</param>
    /// <param name="sentence">The sentence to rewrite.</param>
    /// <returns>A system message with <see cref="GetInstruction"/> and a user message with the sentence; a new list on each call.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="sentence"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sentence"/> is empty, white space or has a line break (there is nothing to rewrite in an empty "no role" sentence).</exception>
    public static IReadOnlyList<ChatMessage> CreateRequest(RppPattern pattern, string sentence)
    {
        string instruction = GetInstruction(pattern);
        RppText.ThrowIfNotSentence(sentence, nameof(sentence), allowEmpty: false);
        return [new ChatMessage(ChatRole.System, instruction), new ChatMessage(ChatRole.User, sentence)];
    }

    /// <summary>Reads the rewritten sentence from a model's answer.</summary>
    /// <param name="text">The answer.</param>
    /// <returns>
    /// The sentence: the text after the last <c>&lt;/think&gt;</c> when there is one, trimmed, without a lead-in line that
    /// ends with ':' (such as "Here is the rewritten sentence:"), without surrounding quotes or back-ticks. <see langword="null"/>,
    /// meaning "keep the original", when that leaves nothing, more than one line, or more than <see cref="MaxSentenceLength"/> characters.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string? ParseResponse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int thinkEnd = text.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        if (thinkEnd >= 0)
        {
            text = text[(thinkEnd + "</think>".Length)..];
        }
        else if (text.Contains("<think>", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 2 && lines[0].EndsWith(':'))
        {
            lines = [lines[1]];
        }

        if (lines.Length != 1)
        {
            return null;
        }

        string sentence = lines[0];
        while (sentence.Length >= 2 && IsQuotePair(sentence[0], sentence[^1]))
        {
            sentence = sentence[1..^1].Trim();
        }

        return sentence.Length == 0 || sentence.Length > MaxSentenceLength ? null : sentence;
    }

    private static bool IsQuotePair(char open, char close) =>
        (open, close) is ('"', '"') or ('\'', '\'') or ('`', '`') or ('\u201c', '\u201d') or ('\u2018', '\u2019') or ('\u00ab', '\u00bb');
}
