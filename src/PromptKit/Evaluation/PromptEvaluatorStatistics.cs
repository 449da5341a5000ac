namespace PromptKit;

/// <summary>An immutable snapshot of the counters of a <see cref="PromptEvaluator"/>, taken by <see cref="PromptEvaluator.Statistics"/>.</summary>
/// <remarks>
/// Every request that returns a result is counted once in <see cref="Requests"/> and once in exactly one of
/// <see cref="Succeeded"/>, <see cref="Empty"/>, <see cref="Malformed"/>, <see cref="Failures"/> and <see cref="TimedOut"/>;
/// a request cancelled by its caller is counted only in <see cref="Requests"/>. Token counts add up the
/// <see cref="Microsoft.Extensions.AI.ChatResponse.Usage"/> of responses received from the model; responses answered from the
/// cache spend no tokens and add nothing.
/// </remarks>
public sealed class PromptEvaluatorStatistics
{
    /// <summary>Gets the number of requests passed to the evaluator.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the number of calls made to the chat client, retries included.</summary>
    public long ModelCalls { get; init; }

    /// <summary>Gets the number of requests answered from the response cache (without a model call below it).</summary>
    public long CacheHits { get; init; }

    /// <summary>Gets the number of retries made after transient faults.</summary>
    public long Retries { get; init; }

    /// <summary>Gets the number of requests that ended with <see cref="EvaluationStatus.Succeeded"/>.</summary>
    public long Succeeded { get; init; }

    /// <summary>Gets the number of requests that ended with <see cref="EvaluationStatus.Empty"/>.</summary>
    public long Empty { get; init; }

    /// <summary>Gets the number of requests that ended with <see cref="EvaluationStatus.Malformed"/>.</summary>
    public long Malformed { get; init; }

    /// <summary>Gets the number of requests that ended with <see cref="EvaluationStatus.Failed"/>.</summary>
    public long Failures { get; init; }

    /// <summary>Gets the number of requests that ended with <see cref="EvaluationStatus.TimedOut"/>.</summary>
    public long TimedOut { get; init; }

    /// <summary>Gets the sum of the input token counts reported by the model.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the sum of the output token counts reported by the model.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the sum of the total token counts reported by the model (input + output where the model reports no total).</summary>
    public long TotalTokens { get; init; }

    /// <summary>Gets the wall time during which at least one model call was in flight.</summary>
    /// <value>Compare it with the wall time of a run: the rest is time in which the caller (e.g. a trainer) made no call.</value>
    public TimeSpan ModelBusyTime { get; init; }

    /// <summary>Gets the largest number of model calls that were in flight at the same time.</summary>
    public int PeakCallsInFlight { get; init; }
}
