using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PromptKit.Tests.Evaluation;

namespace PromptKit.Tests.ChatPipeline;

public sealed class PromptResponseCachingChatClientTests
{
    [Fact]
    public void Constructor_NullArguments_ThrowWithParamNames()
    {
        using var inner = FakeChatClient.Echo();

        FluentActions.Invoking(() => new PromptResponseCachingChatClient(null!, NewStorage())).Should().Throw<ArgumentNullException>().WithParameterName("innerClient");
        FluentActions.Invoking(() => new PromptResponseCachingChatClient(inner, null!)).Should().Throw<ArgumentNullException>().WithParameterName("storage");
    }

    [Fact]
    public void Partition_SetNull_ThrowsWithParamName()
    {
        using var client = new PromptResponseCachingChatClient(FakeChatClient.Echo(), NewStorage());

        Action act = () => client.Partition = null!;

        act.Should().Throw<ArgumentNullException>().WithParameterName("value");
    }

    [Fact]
    public void Partition_Default_DescribesInnerModelOrType()
    {
        using var withMetadata = new PromptResponseCachingChatClient(new MetadataChatClient("model-a"), NewStorage());
        using var withoutMetadata = new PromptResponseCachingChatClient(FakeChatClient.Echo(), NewStorage());

        withMetadata.Partition.Should().Be("fake|http://localhost/v1|model-a");
        withoutMetadata.Partition.Should().Be(typeof(FakeChatClient).FullName);
    }

    [Fact]
    public async Task GetResponseAsync_SameRequestTwice_SecondFromCacheAsNewTrimmedResponse()
    {
        var inner = new FakeChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer"))
        {
            ModelId = "m",
            FinishReason = ChatFinishReason.Stop,
            Usage = FakeChatClient.Usage(1, 2, 3),
            ResponseId = "r1",
            AdditionalProperties = new() { ["x"] = "y" },
        });
        using var client = new PromptResponseCachingChatClient(inner, NewStorage());

        ChatResponse first = await client.GetResponseAsync(Request("q"));
        ChatResponse second = await client.GetResponseAsync(Request("q"));

        inner.CallCount.Should().Be(1);
        second.Should().NotBeSameAs(first);
        second.Text.Should().Be("answer");
        second.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.Assistant);
        second.ModelId.Should().Be("m");
        second.FinishReason.Should().Be(ChatFinishReason.Stop);
        second.Usage!.TotalTokenCount.Should().Be(3);
        second.ResponseId.Should().BeNull("only the text, model id, finish reason and usage are cached");
        second.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public async Task GetResponseAsync_StoresUnderPrefixedKeyWithEntryOptions()
    {
        var storage = new RecordingCache();
        var entryOptions = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) };
        using var client = new PromptResponseCachingChatClient(FakeChatClient.Echo(), storage) { EntryOptions = entryOptions };

        await client.GetResponseAsync(Request("q"));

        (string key, byte[] value, DistributedCacheEntryOptions options) = storage.Writes.Should().ContainSingle().Subject;
        key.Should().MatchRegex("^promptkit:response:v3:[0-9a-f]{64}$");
        options.Should().BeSameAs(entryOptions);
        JsonSerializer.Deserialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse))).Should().BeOfType<ChatResponse>()
            .Which.Text.Should().Be("echo: q");
    }

    [Fact]
    public async Task GetResponseAsync_DifferentPartitionsOverOneStorage_DoNotShareAnswers()
    {
        IDistributedCache storage = NewStorage();
        using var modelA = new PromptResponseCachingChatClient(new MetadataChatClient("model-a"), storage);
        using var modelB = new PromptResponseCachingChatClient(new MetadataChatClient("model-b"), storage);

        ChatResponse a = await modelA.GetResponseAsync(Request("same"));
        ChatResponse b = await modelB.GetResponseAsync(Request("same"));

        a.Text.Should().Be("from model-a");
        b.Text.Should().Be("from model-b");
    }

    [Fact]
    public async Task GetResponseAsync_SamePartitionSetOnBoth_SharesAnswers()
    {
        IDistributedCache storage = NewStorage();
        using var modelA = new PromptResponseCachingChatClient(new MetadataChatClient("model-a"), storage) { Partition = "shared" };
        using var modelB = new PromptResponseCachingChatClient(new MetadataChatClient("model-b"), storage) { Partition = "shared" };

        await modelA.GetResponseAsync(Request("same"));
        ChatResponse b = await modelB.GetResponseAsync(Request("same"));

        b.Text.Should().Be("from model-a");
    }

    public static TheoryData<string, ChatResponse, Func<ChatResponse, bool>?> UnusableResponses() => new()
    {
        { "empty", FakeChatClient.Response(""), null },
        { "white space", FakeChatClient.Response(" \n"), null },
        { "content filter", new ChatResponse(new ChatMessage(ChatRole.Assistant, "I can't.")) { FinishReason = ChatFinishReason.ContentFilter }, null },
        { "predicate rejects", FakeChatClient.Response("not json"), r => r.Text.StartsWith('{') },
        { "predicate throws", FakeChatClient.Response("x"), _ => throw new FormatException("bad") },
    };

    [Theory]
    [MemberData(nameof(UnusableResponses))]
    public async Task GetResponseAsync_UnusableResponse_IsReturnedButNotCached(string what, ChatResponse response, Func<ChatResponse, bool>? shouldCache)
    {
        var inner = new FakeChatClient(_ => response);
        var storage = new RecordingCache();
        using var client = new PromptResponseCachingChatClient(inner, storage) { ShouldCache = shouldCache };

        ChatResponse first = await client.GetResponseAsync(Request("q"));
        await client.GetResponseAsync(Request("q"));

        first.Should().BeSameAs(response, what);
        inner.CallCount.Should().Be(2, what);
        storage.Writes.Should().BeEmpty(what);
    }

    [Fact]
    public async Task GetResponseAsync_RequestTheKeyCannotDescribe_BypassesCache()
    {
        var inner = FakeChatClient.Echo();
        var storage = new RecordingCache();
        using var client = new PromptResponseCachingChatClient(inner, storage);
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] };

        await client.GetResponseAsync(Request("q"), options);
        await client.GetResponseAsync(Request("q"), options);

        inner.CallCount.Should().Be(2);
        storage.Reads.Should().Be(0);
        storage.Writes.Should().BeEmpty();
    }

    [Fact]
    public async Task GetResponseAsync_CorruptEntry_CallsInnerClient()
    {
        var inner = FakeChatClient.Echo();
        var storage = new RecordingCache { ReadResult = Encoding.UTF8.GetBytes("not json") };
        using var client = new PromptResponseCachingChatClient(inner, storage);

        ChatResponse response = await client.GetResponseAsync(Request("q"));

        response.Text.Should().Be("echo: q");
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledToken_ThrowsWithoutCallingInnerClient()
    {
        var inner = FakeChatClient.Echo();
        using var client = new PromptResponseCachingChatClient(inner, NewStorage());

        Func<Task> act = () => client.GetResponseAsync(Request("q"), cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.CallCount.Should().Be(0);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SecondStream_ComesFromCache()
    {
        var inner = new StreamingClient();
        using var client = new PromptResponseCachingChatClient(inner, NewStorage());

        ChatResponse first = await client.GetStreamingResponseAsync(Request("q")).ToChatResponseAsync();
        ChatResponse second = await client.GetStreamingResponseAsync(Request("q")).ToChatResponseAsync();

        first.Text.Should().Be("hello world");
        second.Text.Should().Be("hello world");
        inner.Streams.Should().Be(1);
    }

    [Fact]
    public void UsePromptResponseCache_NullBuilder_ThrowsWithParamName()
    {
        Action act = () => ((ChatClientBuilder)null!).UsePromptResponseCache();

        act.Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }

    [Fact]
    public async Task UsePromptResponseCache_NoStorageGiven_ResolvesRegisteredCacheAndConfigures()
    {
        var storage = new RecordingCache();
        using ServiceProvider services = new ServiceCollection().AddSingleton<IDistributedCache>(storage).BuildServiceProvider();
        var inner = FakeChatClient.Echo();
        PromptResponseCachingChatClient? configured = null;

        using IChatClient client = inner.AsBuilder().UsePromptResponseCache(configure: c => configured = c).Build(services);
        await client.GetResponseAsync(Request("q"));

        configured.Should().NotBeNull();
        client.GetService<PromptResponseCachingChatClient>().Should().BeSameAs(configured);
        storage.Writes.Should().ContainSingle();
    }

    private static IReadOnlyList<ChatMessage> Request(string text) => [new ChatMessage(ChatRole.User, text)];

    private static MemoryDistributedCache NewStorage() => new(Options.Create(new MemoryDistributedCacheOptions()));

    private sealed class StreamingClient : IChatClient
    {
        public int Streams { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Streams++;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "hello ");
            yield return new ChatResponseUpdate(ChatRole.Assistant, "world");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>An <see cref="IDistributedCache"/> that records writes and reads, and can return fixed bytes for every read.</summary>
    private sealed class RecordingCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = NewStorage();

        public byte[]? ReadResult { get; init; }

        public int Reads { get; private set; }

        public List<(string Key, byte[] Value, DistributedCacheEntryOptions Options)> Writes { get; } = [];

        public byte[]? Get(string key) => throw new NotSupportedException();

        public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            Reads++;
            return ReadResult ?? await _inner.GetAsync(key, token);
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException();

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Writes.Add((key, value, options));
            return _inner.SetAsync(key, value, options, token);
        }

        public void Refresh(string key) => throw new NotSupportedException();

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => throw new NotSupportedException();

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.CompletedTask;
    }
}
