namespace PromptKit;

/// <summary>Stores model responses by request key, so that <see cref="PromptEvaluator"/> answers a repeated request without a model call.</summary>
/// <remarks>
/// Keys are lowercase SHA-256 hex strings computed by the evaluator from the exact request (see <see cref="PromptEvaluator"/>).
/// Only responses recorded as <see cref="EvaluationStatus.Succeeded"/> are stored. Implementations must be thread-safe.
/// </remarks>
public interface IPromptResponseCache
{
    /// <summary>Gets the response stored for a key.</summary>
    /// <param name="key">The request key.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The stored response, or <see langword="null"/> when the key is not in the cache.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    ValueTask<PromptResponseCacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a response for a key, replacing any response stored for it.</summary>
    /// <param name="key">The request key.</param>
    /// <param name="entry">The response to store.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>A task that completes when the response is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="entry"/> is <see langword="null"/>.</exception>
    ValueTask SetAsync(string key, PromptResponseCacheEntry entry, CancellationToken cancellationToken = default);
}
