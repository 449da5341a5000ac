using System.Collections.Immutable;

namespace PromptKit;

/// <summary>An immutable snapshot of the counters of a <see cref="PromptEvaluator"/>, taken by <see cref="PromptEvaluator.Statistics"/>.</summary>
/// <remarks>
/// Every request that returns a result is counted once in <see cref="Requests"/> and once in exactly one of
/// <see cref="Succeeded"/>, <see cref="Empty"/>, <see cref="Malformed"/>, <see cref="Failures"/> and <see cref="TimedOut"/>;
/// a request cancelled by its caller is counted only in <see cref="Requests"/>. Token counts add up the
/// <see cref="Microsoft.Extensions.AI.ChatResponse.Usage"/> of responses received from the model; responses answered from the
/// cache spend no tokens and add nothing.
/// <para>
/// Attempts are counted below the retries: every call that reaches the chat client is one of <see cref="ModelCalls"/>,
/// and every one that did not return a response is one of <see cref="TimedOutAttempts"/> or <see cref="FailedAttempts"/>
/// (a call cancelled by its caller is neither). This holds only when the chat client does not retry on its own: turn
/// the SDK's retries off (docs/reliability.md).
/// </para>
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

    /// <summary>Gets the number of model calls (attempts) that threw, timeouts and cancellations by the caller not included.</summary>
    public long FailedAttempts { get; init; }

    /// <summary>Gets the number of model calls (attempts) cut off by <see cref="PromptEvaluatorOptions.Timeout"/>.</summary>
    public long TimedOutAttempts { get; init; }

    /// <summary>Gets the <see cref="FailedAttempts"/> by the HTTP status the server answered (from <see cref="HttpRequestException.StatusCode"/>); key 0 counts failures without a status (no connection, a broken or unreadable body).</summary>
    /// <value>An empty dictionary when no attempt failed. The values add up to <see cref="FailedAttempts"/>.</value>
    public ImmutableSortedDictionary<int, long> FailedAttemptsByStatusCode { get; init; } = ImmutableSortedDictionary<int, long>.Empty;

    /// <summary>Gets the number of times the circuit breaker opened because too many calls failed (see <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/>).</summary>
    public long CircuitBreaks { get; init; }

    /// <summary>Gets the number of requests refused with <see cref="ModelUnavailableException"/> while the circuit was open.</summary>
    public long CircuitRejections { get; init; }

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
