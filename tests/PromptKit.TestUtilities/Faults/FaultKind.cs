namespace PromptKit.TestUtilities.Faults;

/// <summary>What <see cref="FaultInjectionServer"/> does with one request instead of answering it normally.</summary>
public enum FaultKind
{
    /// <summary>No fault: the model's answer, HTTP 200.</summary>
    None,

    /// <summary>HTTP 503 Service Unavailable with a <c>Retry-After</c> header (transient).</summary>
    ServiceUnavailable,

    /// <summary>HTTP 429 Too Many Requests with a <c>Retry-After</c> header (transient).</summary>
    TooManyRequests,

    /// <summary>No answer until the client gives up (bounded by <see cref="FaultInjectionServerOptions.HangLimit"/>); the client's timeout fires.</summary>
    Hang,

    /// <summary>HTTP 200 with the headers and half of the announced body, then the connection is closed (transient).</summary>
    CloseMidBody,

    /// <summary>HTTP 200 with a complete body that is cut-off JSON (not transient: the server answered).</summary>
    TruncatedJson,

    /// <summary>HTTP 200 with an empty <c>choices</c> array.</summary>
    EmptyChoices,

    /// <summary>HTTP 200 whose choice ends with <c>finish_reason: content_filter</c>.</summary>
    ContentFilter,

    /// <summary>HTTP 200 whose message is text that names no candidate and follows no format.</summary>
    GarbageText,

    /// <summary>The right answer, trickled in small pieces with <see cref="FaultInjectionServerOptions.SlowPieceDelay"/> between them
    /// (server-sent events for a streaming request, the JSON body otherwise): slower than a short client timeout.</summary>
    SlowStream,
}
