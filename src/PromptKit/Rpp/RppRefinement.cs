using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>The request and response format of RPP+ refinement: a model rewrites one chosen sentence of a pattern.</summary>
/// <remarks>
/// <para>Send <see cref="CreateRequest(RppPattern, string, IReadOnlyList{string})"/>'s messages to the refining model, read its answer with
/// <see cref="ParseResponse"/>, and put an accepted text into the selection with <see cref="RppSelection.WithRefinedText"/>;
/// <see langword="null"/> means "keep the original sentence".</para>
/// </remarks>
public static partial class RppRefinement
{
    /// <summary>The chrF (0 to 100, character 6-grams, β = 2) between a refined sentence and its original above which
    /// <see cref="GetRejectionReason"/> accepts it as the same intent whatever words it shares (see <see cref="MinWordOverlap"/>).</summary>
    public const double MinSimilarity = 45;

    /// <summary>The share of the original's content words (four letters or more, compared on their first five letters,
    /// case-insensitively) that a refined sentence must contain for <see cref="GetRejectionReason"/> to accept it as the
    /// same intent when its chrF is below <see cref="MinSimilarity"/>.</summary>
    public const double MinWordOverlap = 0.3;

    /// <summary>The shortest refined sentence <see cref="GetRejectionReason"/> accepts, as a share of the original's length.</summary>
    public const double MinLengthRatio = 0.4;

    /// <summary>The longest refined sentence <see cref="GetRejectionReason"/> accepts, as a multiple of the original's
    /// length (and never above <see cref="MaxSentenceLength"/>).</summary>
    public const double MaxLengthRatio = 3.0;

    private static readonly ChrfMetric Similarity = new();

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
    public static IReadOnlyList<ChatMessage> CreateRequest(RppPattern pattern, string sentence) => CreateRequest(pattern, sentence, []);

    /// <summary>Creates the chat messages that ask a model to rewrite <paramref name="sentence"/> for one user's context
    /// (RPP+ as in the paper: the sentence the agent chose is refined for this user, during the episode).</summary>
    /// <param name="pattern">The pattern the sentence belongs to.</param>
    /// <param name="sentence">The sentence to rewrite.</param>
    /// <param name="context">The user's history lines as the prompt will show them (for example
    /// <see cref="RppEpisode.GetRefinementContext"/>); empty for a request without context.</param>
    /// <returns>Without context, a system message with <see cref="GetInstruction"/> and a user message with the sentence.
    /// With context, the system message also says that the sentence is for the user whose history follows, and the user
    /// message holds the sentence, then the history as delimited user data (rendered with <see cref="PromptFormat.Default"/>).
    /// A new list on each call.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pattern"/> is not a defined value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="sentence"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sentence"/> is empty, white space or has a line break, or a context line is <see langword="null"/>.</exception>
    public static IReadOnlyList<ChatMessage> CreateRequest(RppPattern pattern, string sentence, IReadOnlyList<string> context)
    {
        string instruction = GetInstruction(pattern);
        RppText.ThrowIfNotSentence(sentence, nameof(sentence), allowEmpty: false);
        RppText.ThrowIfBadContext(context, nameof(context));
        if (context.Count == 0)
        {
            return [new ChatMessage(ChatRole.System, instruction), new ChatMessage(ChatRole.User, sentence)];
        }

        return new PromptBuilder()
            .AddSystem($"{instruction} Write it for the user whose history follows the sentence: keep what it asks, and make it fit this user.")
            .AddUser(sentence, "sentence")
            .AddHistory(context)
            .Build()
            .ToChatMessages(PromptFormat.Default);
    }

    /// <summary>Checks a refined sentence against its original: RPP+ keeps the original when a refinement is rejected.</summary>
    /// <param name="original">The sentence that was sent for refinement.</param>
    /// <param name="refined">The refined sentence, as <see cref="ParseResponse"/> read it.</param>
    /// <returns><see langword="null"/> when the refinement is acceptable; otherwise why it is not: "empty", "too short",
    /// "too long", "a refusal or an error message", or "off-intent" (fewer than <see cref="MinWordOverlap"/> of the
    /// original's content words and a chrF with the original below <see cref="MinSimilarity"/>). Length bounds: at least <see cref="MinLengthRatio"/> × the original's length (and 8
    /// characters), at most <see cref="MaxLengthRatio"/> × it plus 40 characters, and <see cref="MaxSentenceLength"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="original"/> or <paramref name="refined"/> is <see langword="null"/>.</exception>
    public static string? GetRejectionReason(string original, string refined)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(refined);
        string text = refined.Trim();
        string source = original.Trim();
        if (text.Length == 0)
        {
            return "empty";
        }

        if (text.Length < Math.Max(8, MinLengthRatio * source.Length))
        {
            return "too short";
        }

        if (text.Length > Math.Min(MaxSentenceLength, (MaxLengthRatio * source.Length) + 40))
        {
            return "too long";
        }

        if (ModelAnswers.IsRefusalOrError(text))
        {
            return "a refusal or an error message";
        }

        return WordOverlap(source, text) < MinWordOverlap && Similarity.ScoreValue(text.AsSpan(), source.AsSpan()) < MinSimilarity ? "off-intent" : null;
    }

    // The share of the original's content words (4+ letters, first 5 letters, case-insensitive) found in the refinement.
    private static double WordOverlap(string original, string refined)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match word in WordRegex().Matches(refined))
        {
            found.Add(word.Value[..Math.Min(5, word.Value.Length)]);
        }

        int total = 0;
        int shared = 0;
        foreach (Match word in WordRegex().Matches(original))
        {
            total++;
            shared += found.Contains(word.Value[..Math.Min(5, word.Value.Length)]) ? 1 : 0;
        }

        return total == 0 ? 1 : (double)shared / total;
    }

    [GeneratedRegex(@"\p{L}{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();

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
