using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>The immutable outcome of sending one request to the frozen model through <see cref="PromptEvaluator"/>.</summary>
/// <remarks>
/// A failed or malformed response is never reported as a success: only <see cref="EvaluationStatus.Succeeded"/> sets
/// <see cref="IsSuccess"/>. Trainers should score <see cref="Text"/> only when <see cref="IsSuccess"/> is <see langword="true"/>.
/// </remarks>
public sealed class PromptEvaluation
{
    /// <summary>Gets how the request ended.</summary>
    public required EvaluationStatus Status { get; init; }

    /// <summary>Gets the response text, or <see langword="null"/> when no response was received.</summary>
    public string? Text { get; init; }

    /// <summary>Gets the model's response, or <see langword="null"/> when no response was received.</summary>
    /// <remarks>A response answered from the cache is a new response rebuilt from the stored text, model id, finish reason and usage (see <see cref="PromptResponseCachingChatClient"/>).</remarks>
    public ChatResponse? Response { get; init; }

    /// <summary>Gets the exception that ended the request (or that the validator threw), or <see langword="null"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets a value indicating whether the result was answered without a model call: from the response cache (or by middleware that answered itself).</summary>
    public bool FromCache { get; init; }

    /// <summary>Gets the number of model calls made for this request (1 plus the retries); 0 when <see cref="FromCache"/> is <see langword="true"/>.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the token usage reported with the response, or <see langword="null"/> when the model reported none.</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>Gets the time from the start of the request until its result was available, measured with the evaluator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets a value indicating whether <see cref="Status"/> is <see cref="EvaluationStatus.Succeeded"/>.</summary>
    public bool IsSuccess => Status == EvaluationStatus.Succeeded;
}
