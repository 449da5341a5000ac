namespace PromptKit;

/// <summary>Describes how one request sent to the frozen model through <see cref="PromptEvaluator"/> ended.</summary>
public enum EvaluationStatus
{
    /// <summary>The model returned a non-empty response that passed the configured validator.</summary>
    Succeeded,

    /// <summary>The model returned a response whose text is empty or consists only of white space.</summary>
    Empty,

    /// <summary>The model returned a response that the provider's content filter stopped, or that the configured <see cref="PromptEvaluatorOptions.ResponseValidator"/> rejected (or the validator threw).</summary>
    Malformed,

    /// <summary>The call failed with an exception that was not transient, or every retry failed; <see cref="PromptEvaluation.Error"/> holds the last exception.</summary>
    Failed,

    /// <summary>The last attempt exceeded <see cref="PromptEvaluatorOptions.Timeout"/>; <see cref="PromptEvaluation.Error"/> holds the timeout exception.</summary>
    TimedOut,
}
