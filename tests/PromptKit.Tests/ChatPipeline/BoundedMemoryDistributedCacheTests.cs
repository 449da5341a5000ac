using Microsoft.Extensions.Caching.Distributed;

namespace PromptKit.Tests.ChatPipeline;

public sealed class BoundedMemoryDistributedCacheTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveCapacity_ThrowsWithParamName(int value)
    {
        Action act = () => _ = new BoundedMemoryDistributedCache(value);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
    }

    [Fact]
    public async Task Methods_NullArguments_ThrowWithParamNames()
    {
        using var cache = new BoundedMemoryDistributedCache(10);

        Func<Task> get = () => cache.GetAsync(null!);
        Func<Task> setKey = () => cache.SetAsync(null!, [1], new DistributedCacheEntryOptions());
        Func<Task> setValue = () => cache.SetAsync("k", null!, new DistributedCacheEntryOptions());
        Func<Task> setOptions = () => cache.SetAsync("k", [1], null!);

        await get.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
        await setKey.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
        await setValue.Should().ThrowAsync<ArgumentNullException>().WithParameterName("value");
        await setOptions.Should().ThrowAsync<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public async Task GetAsync_StoredKey_ReturnsValueAndRemovedKeyReturnsNull()
    {
        using var cache = new BoundedMemoryDistributedCache(10);
        await cache.SetAsync("k", [1, 2, 3], new DistributedCacheEntryOptions());
        await cache.SetAsync("gone", [4], new DistributedCacheEntryOptions());
        await cache.RemoveAsync("gone");

        (await cache.GetAsync("k")).Should().Equal(1, 2, 3);
        (await cache.GetAsync("gone")).Should().BeNull();
        (await cache.GetAsync("missing")).Should().BeNull();
    }

    [Fact]
    public async Task SetAsync_ManyThreads_NeverExceedsCapacity()
    {
        using var cache = new BoundedMemoryDistributedCache(50);

        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), async (i, ct) =>
        {
            await cache.SetAsync("k" + (i % 300), [(byte)i], new DistributedCacheEntryOptions(), ct);
            _ = await cache.GetAsync("k" + (i % 7), ct);
        });

        cache.Count.Should().BeInRange(1, 50);
        cache.Capacity.Should().Be(50);
    }

    [Fact]
    public async Task GetAsync_CancelledToken_Throws()
    {
        using var cache = new BoundedMemoryDistributedCache(10);

        Func<Task> act = () => cache.GetAsync("k", new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
