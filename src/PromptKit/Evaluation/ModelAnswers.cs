using System.Text.RegularExpressions;

namespace PromptKit;

/// <summary>Checks on a frozen model's answer text that every method shares.</summary>
public static partial class ModelAnswers
{
    /// <summary>Gets a value indicating whether an answer is a refusal or an error message rather than an answer: it
    /// opens like one ("I'm sorry", "I can't", "As an AI", "Unfortunately", "Error", "Rate limit", "Service
    /// unavailable", …; straight or curly apostrophes) or states one ("an error occurred", "status code 503", "I cannot
    /// help"). A sentence that merely mentions an error later on is not one.</summary>
    /// <param name="text">The answer text.</param>
    /// <returns><see langword="true"/> for a refusal or an error message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <remarks>Use it as <see cref="PromptEvaluatorOptions.ResponseValidator"/>
    /// (<c>response =&gt; !ModelAnswers.IsRefusalOrError(response.Text)</c>) so that such answers are counted as
    /// malformed calls and never scored. English phrasings only.</remarks>
    public static bool IsRefusalOrError(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RefusalOrErrorRegex().IsMatch(text.Replace('\u2019', '\''));
    }

    // Refusals and error texts in the forms models and gateways write them.
    [GeneratedRegex(@"^\W*(i'?m sorry|i am sorry|sorry\b|i apologi[sz]e|apologies|unfortunately\b|i can(no|')?t\b|i can not\b|i cannot|i am (not able|unable)|i'?m (not able|unable)|i won'?t\b|i will not\b|as an ai\b|as a language model\b|unable to\b|error\b|exception\b|request failed|rate limit|internal server error|service unavailable|bad request|too many requests|(the )?model (is )?(overloaded|unavailable))|\b(an error occurred|error code|status code \d{3}|i cannot (help|assist|comply)|i can't (help|assist|comply))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RefusalOrErrorRegex();
}
