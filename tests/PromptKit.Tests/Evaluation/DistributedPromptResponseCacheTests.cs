using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Evaluation;

public sealed class DistributedPromptResponseCacheTests
{
    [Fact]
    public void Constructor_NullCache_ThrowsWithParamName()
    {
        Action act = () => _ = new DistributedPromptResponseCache(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("cache");
    }

    [Fact]
    public async Task Methods_NullArguments_ThrowWithParamNames()
    {
        var cache = new DistributedPromptResponseCache(NewDistributedCache());

        Func<Task> getNull = async () => await cache.GetAsync(null!);
        Func<Task> setNullKey = async () => await cache.SetAsync(null!, new PromptResponseCacheEntry("x"));
        Func<Task> setNullEntry = async () => await cache.SetAsync("k", null!);

        await getNull.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
        await setNullKey.Should().ThrowAsync<ArgumentNullException>().WithParameterName("key");
        await setNullEntry.Should().ThrowAsync<ArgumentNullException>().WithParameterName("entry");
    }

    [Fact]
    public async Task GetAsync_AfterSet_RoundTripsEveryField()
    {
        var cache = new DistributedPromptResponseCache(NewDistributedCache());
        var entry = new PromptResponseCacheEntry("héllo \"wörld\"\n", "gpt-x", "length", 12, 34, 46);

        await cache.SetAsync("abc", entry);
        PromptResponseCacheEntry? read = await cache.GetAsync("abc");

        read.Should().NotBeNull();
        read.Should().BeEquivalentTo(entry);
    }

    [Fact]
    public async Task GetAsync_EntryWithoutOptionalFields_RoundTripsNulls()
    {
        var cache = new DistributedPromptResponseCache(NewDistributedCache());

        await cache.SetAsync("abc", new PromptResponseCacheEntry("t"));
        PromptResponseCacheEntry? read = await cache.GetAsync("abc");

        read!.Text.Should().Be("t");
        read.ModelId.Should().BeNull();
        read.FinishReason.Should().BeNull();
        read.InputTokenCount.Should().BeNull();
        read.TotalTokenCount.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        var cache = new DistributedPromptResponseCache(NewDistributedCache());

        (await cache.GetAsync("missing")).Should().BeNull();
    }

    [Fact]
    public async Task SetAsync_StoresUnderPrefixedKeyAsCamelCaseJson()
    {
        MemoryDistributedCache distributed = NewDistributedCache();
        var cache = new DistributedPromptResponseCache(distributed);

        await cache.SetAsync("abc", new PromptResponseCacheEntry("t", inputTokenCount: 3));
        byte[]? raw = await distributed.GetAsync(DistributedPromptResponseCache.KeyPrefix + "abc");

        Encoding.UTF8.GetString(raw!).Should().Be("{\"text\":\"t\",\"inputTokenCount\":3}");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"text\":null}")]
    public async Task GetAsync_CorruptEntry_ThrowsInvalidDataExceptionNamingKey(string stored)
    {
        MemoryDistributedCache distributed = NewDistributedCache();
        await distributed.SetAsync(DistributedPromptResponseCache.KeyPrefix + "abc", Encoding.UTF8.GetBytes(stored));
        var cache = new DistributedPromptResponseCache(distributed);

        Func<Task> act = async () => await cache.GetAsync("abc");

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*promptkit:response:v2:abc*");
    }

    private static MemoryDistributedCache NewDistributedCache() =>
        new(Options.Create(new MemoryDistributedCacheOptions()));
}
