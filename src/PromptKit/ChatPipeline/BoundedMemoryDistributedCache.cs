using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace PromptKit;

/// <summary>
/// An in-process <see cref="IDistributedCache"/> over a <see cref="MemoryCache"/> that holds at most a number of entries
/// (not bytes, as <see cref="MemoryDistributedCache"/> counts): the evaluator's default response cache.
/// </summary>
/// <remarks>
/// When full, a new entry is not stored and the cache compacts itself in the background, removing the least recently
/// used entries first, so the count never exceeds the capacity. Thread-safe.
/// </remarks>
internal sealed class BoundedMemoryDistributedCache : IDistributedCache, IDisposable
{
    private readonly MemoryCache _cache;

    /// <summary>Initializes a new instance of the <see cref="BoundedMemoryDistributedCache"/> class.</summary>
    /// <param name="capacity">The largest number of entries kept.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public BoundedMemoryDistributedCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        Capacity = capacity;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
    }

    /// <summary>Gets the largest number of entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of entries stored now.</summary>
    public int Count => _cache.Count;

    /// <inheritdoc/>
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        return _cache.Get<byte[]>(key);
    }

    /// <inheritdoc/>
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return Task.FromResult(Get(key));
    }

    /// <inheritdoc/>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);

        _cache.Set(key, value, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpiration = options.AbsoluteExpiration,
            AbsoluteExpirationRelativeToNow = options.AbsoluteExpirationRelativeToNow,
            SlidingExpiration = options.SlidingExpiration,
        });
    }

    /// <inheritdoc/>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Set(key, value, options);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Refresh(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        _ = _cache.TryGetValue(key, out _);
    }

    /// <inheritdoc/>
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Refresh(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        _cache.Remove(key);
    }

    /// <inheritdoc/>
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Remove(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => _cache.Dispose();
}
