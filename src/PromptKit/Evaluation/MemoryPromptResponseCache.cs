namespace PromptKit;

/// <summary>A bounded, thread-safe, in-process <see cref="IPromptResponseCache"/> that evicts the oldest stored keys beyond its capacity.</summary>
/// <remarks>Operations complete synchronously under one lock; they are cheap compared to a model call.</remarks>
public sealed class MemoryPromptResponseCache : IPromptResponseCache
{
    private readonly Dictionary<string, PromptResponseCacheEntry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _insertionOrder = new();
    private readonly Lock _lock = new();

    /// <summary>Initializes a new instance of the <see cref="MemoryPromptResponseCache"/> class.</summary>
    /// <param name="capacity">The largest number of entries kept; storing a new key beyond it evicts the oldest key.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is zero or negative.</exception>
    public MemoryPromptResponseCache(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);

        Capacity = capacity;
    }

    /// <summary>Gets the largest number of entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of entries stored now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<PromptResponseCacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            return new ValueTask<PromptResponseCacheEntry?>(_entries.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, PromptResponseCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            if (_entries.TryAdd(key, entry))
            {
                _insertionOrder.Enqueue(key);
                while (_entries.Count > Capacity)
                {
                    _entries.Remove(_insertionOrder.Dequeue());
                }
            }
            else
            {
                _entries[key] = entry;
            }
        }

        return ValueTask.CompletedTask;
    }
}
