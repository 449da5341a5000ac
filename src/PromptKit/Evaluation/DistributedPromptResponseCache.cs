using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace PromptKit;

/// <summary>An <see cref="IPromptResponseCache"/> over an <see cref="IDistributedCache"/> (for example Redis), so that several processes share responses.</summary>
/// <remarks>
/// Entries are stored as UTF-8 JSON written by System.Text.Json source generation (no reflection; trim and AOT safe),
/// under the key <c>"promptkit:response:v2:" + key</c>. Thread safety is that of the underlying cache.
/// </remarks>
public sealed class DistributedPromptResponseCache : IPromptResponseCache
{
    /// <summary>The prefix put in front of every request key, so the entries of this cache do not collide with other data.</summary>
    public const string KeyPrefix = "promptkit:response:v2:";

    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;

    /// <summary>Initializes a new instance of the <see cref="DistributedPromptResponseCache"/> class.</summary>
    /// <param name="cache">The distributed cache that stores the entries.</param>
    /// <param name="entryOptions">The expiration settings of stored entries; <see langword="null"/> stores them without expiration.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cache"/> is <see langword="null"/>.</exception>
    public DistributedPromptResponseCache(IDistributedCache cache, DistributedCacheEntryOptions? entryOptions = null)
    {
        ArgumentNullException.ThrowIfNull(cache);

        _cache = cache;
        _entryOptions = entryOptions ?? new DistributedCacheEntryOptions();
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The stored bytes are not a valid entry.</exception>
    public async ValueTask<PromptResponseCacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);

        byte[]? bytes = await _cache.GetAsync(KeyPrefix + key, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, PromptResponseCacheJsonContext.Default.PromptResponseCacheEntry)
                ?? throw new InvalidDataException($"The distributed cache entry '{KeyPrefix + key}' holds JSON null instead of a response. Remove the entry.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"The distributed cache entry '{KeyPrefix + key}' ({bytes.Length} bytes) is not a valid response entry. Remove the entry or clear the cache.", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, PromptResponseCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);

        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(entry, PromptResponseCacheJsonContext.Default.PromptResponseCacheEntry);
        await _cache.SetAsync(KeyPrefix + key, bytes, _entryOptions, cancellationToken).ConfigureAwait(false);
    }
}
