namespace PromptKit.Tests.Evaluation;

public sealed class MemoryPromptResponseCacheTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveCapacity_ThrowsWithParamName(int value)
    {
        Action act = () => _ = new MemoryPromptResponseCache(value);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
    }

    [Fact]
    public async Task GetAsync_NullKey_ThrowsWithParamName()
    {
        var cache = new MemoryPromptResponseCache();

        Func<Task> act = async () => await cache.GetAsync(null!);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
    }

    [Fact]
    public async Task SetAsync_NullArguments_ThrowWithParamNames()
    {
        var cache = new MemoryPromptResponseCache();

        Func<Task> nullKey = async () => await cache.SetAsync(null!, new PromptResponseCacheEntry("x"));
        Func<Task> nullEntry = async () => await cache.SetAsync("k", null!);

        await nullKey.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
        await nullEntry.Should().ThrowAsync<ArgumentNullException>().WithParameterName("entry");
    }

    [Fact]
    public async Task GetAsync_StoredKey_ReturnsEntryAndMissingKeyReturnsNull()
    {
        var cache = new MemoryPromptResponseCache();
        var entry = new PromptResponseCacheEntry("answer");
        await cache.SetAsync("k", entry);

        PromptResponseCacheEntry? hit = await cache.GetAsync("k");
        PromptResponseCacheEntry? miss = await cache.GetAsync("other");

        hit.Should().BeSameAs(entry);
        miss.Should().BeNull();
    }

    [Fact]
    public async Task SetAsync_BeyondCapacity_EvictsOldestKey()
    {
        var cache = new MemoryPromptResponseCache(capacity: 2);

        await cache.SetAsync("a", new PromptResponseCacheEntry("1"));
        await cache.SetAsync("b", new PromptResponseCacheEntry("2"));
        await cache.SetAsync("a", new PromptResponseCacheEntry("1b"));
        await cache.SetAsync("c", new PromptResponseCacheEntry("3"));

        cache.Count.Should().Be(2);
        (await cache.GetAsync("a")).Should().BeNull();
        (await cache.GetAsync("b"))!.Text.Should().Be("2");
        (await cache.GetAsync("c"))!.Text.Should().Be("3");
    }

    [Fact]
    public async Task SetAsync_ManyThreads_NeverExceedsCapacity()
    {
        var cache = new MemoryPromptResponseCache(capacity: 50);

        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), async (i, ct) =>
        {
            await cache.SetAsync("k" + (i % 300), new PromptResponseCacheEntry("v" + i), ct);
            _ = await cache.GetAsync("k" + (i % 7), ct);
        });

        cache.Count.Should().Be(50);
    }
}
