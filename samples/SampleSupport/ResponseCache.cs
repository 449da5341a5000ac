using Microsoft.Extensions.Caching.Distributed;

namespace PromptKit.Samples;

/// <summary>The response cache a sample run uses: an <see cref="IDistributedCache"/> (or the evaluator's in-memory
/// default), whether caching is on, and a line that describes it.</summary>
/// <param name="storage">The cache, or <see langword="null"/> for the evaluator's in-memory default.</param>
/// <param name="enabled">Whether requests are cached at all.</param>
/// <param name="description">What the cache is, for the console.</param>
public sealed class ResponseCache(IDistributedCache? storage, bool enabled, string description) : IDisposable
{
    /// <summary>Gets the cache to pass to the evaluator, or <see langword="null"/> for its in-memory default.</summary>
    public IDistributedCache? Storage { get; } = storage;

    /// <summary>Gets a value indicating whether requests are cached (<see cref="PromptEvaluatorOptions.UseCache"/>).</summary>
    public bool Enabled { get; } = enabled;

    /// <summary>Gets what the cache is.</summary>
    public string Description { get; } = description;

    /// <inheritdoc/>
    public void Dispose() => (Storage as IDisposable)?.Dispose();
}
