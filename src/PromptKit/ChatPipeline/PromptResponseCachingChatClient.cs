using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PromptKit;

/// <summary>
/// A <see cref="DistributedCachingChatClient"/> for a frozen model: it keys each request by a canonical SHA-256 of
/// what changes the answer, partitioned by the model behind the client, and caches only usable answers.
/// </summary>
/// <remarks>
/// <para>
/// The key is <see cref="KeyPrefix"/> followed by the lowercase SHA-256 hex of a canonical form of the messages (role,
/// author name, text), of the chat options that change the output (model id, instructions, temperature, top-p, top-k,
/// max output tokens, penalties, seed, stop sequences, response format, reasoning), of <see cref="Partition"/>, of
/// <see cref="DistributedCachingChatClient.CacheKeyAdditionalValues"/> and of whether the call streams. A request with
/// anything the key cannot describe (non-text content, tools or a tool mode, a conversation id, a continuation token,
/// background responses, a raw representation factory, additional properties, another response format) is passed to
/// the inner client without touching the cache.
/// </para>
/// <para>
/// Only a response with non-blank text that the provider's content filter did not stop
/// (<see cref="ChatFinishReason.ContentFilter"/>) and that <see cref="ShouldCache"/> accepts is stored, and only its
/// text, model id, finish reason and token usage: a hit returns a new <see cref="ChatResponse"/> with one assistant
/// message. Entries are written as UTF-8 JSON with <see cref="DistributedCachingChatClient.JsonSerializerOptions"/>
/// (by default <see cref="AIJsonUtilities.DefaultOptions"/>, source-generated: trim and AOT safe) and
/// <see cref="EntryOptions"/>.
/// </para>
/// <para>
/// A cache outage does not stop training: a read that fails (including an entry that is not valid JSON) is logged and
/// answered by the inner client, and a write that fails is logged and the response is returned. Cancellation is never
/// swallowed. The client is thread-safe when the <see cref="IDistributedCache"/> is. Set the properties before the
/// first request.
/// </para>
/// </remarks>
public sealed partial class PromptResponseCachingChatClient : DistributedCachingChatClient
{
    /// <summary>The prefix put in front of every key, so that these entries do not collide with other data in a shared cache.</summary>
    public const string KeyPrefix = "promptkit:response:v3:";

    private readonly IDistributedCache _storage;
    private readonly ILogger _logger;
    private string _partition;

    /// <summary>Initializes a new instance of the <see cref="PromptResponseCachingChatClient"/> class.</summary>
    /// <param name="innerClient">The client that answers requests the cache cannot.</param>
    /// <param name="storage">The cache that stores the responses, e.g. Redis to share them between processes.</param>
    /// <param name="logger">The logger of cache faults; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="storage"/> is <see langword="null"/>.</exception>
    public PromptResponseCachingChatClient(IChatClient innerClient, IDistributedCache storage, ILogger? logger = null)
        : base(innerClient ?? throw new ArgumentNullException(nameof(innerClient)), storage ?? throw new ArgumentNullException(nameof(storage)))
    {
        _storage = storage;
        _logger = logger ?? NullLogger.Instance;
        _partition = DescribeModel(innerClient);
    }

    /// <summary>Gets or sets what identifies the model behind the inner client in keys.</summary>
    /// <value>
    /// The default value is the <see cref="ChatClientMetadata"/> the inner client reports (provider, endpoint, default
    /// model id), or the inner client's type name when it reports none.
    /// </value>
    /// <remarks>Clients of different models that share one cache never answer for each other as long as their partitions differ. Set a distinct value for each model when clients report no metadata.</remarks>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string Partition
    {
        get => _partition;
        set => _partition = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets a predicate that a usable response must also pass to be stored.</summary>
    /// <value>The default value is <see langword="null"/>: every non-blank response that no content filter stopped is stored. A predicate that throws counts as a rejection; the exception is logged.</value>
    public Func<ChatResponse, bool>? ShouldCache { get; set; }

    /// <summary>Gets or sets the expiration of stored entries.</summary>
    /// <value>The default value is <see langword="null"/>: entries are stored without expiration (the cache's own eviction applies).</value>
    public DistributedCacheEntryOptions? EntryOptions { get; set; }

    /// <summary>Describes the model behind a client, so that two clients of different models never share answers.</summary>
    /// <param name="chatClient">The client.</param>
    /// <returns>The provider, endpoint and default model id from its <see cref="ChatClientMetadata"/>, or its type name when it reports none.</returns>
    internal static string DescribeModel(IChatClient chatClient)
    {
        ChatClientMetadata? metadata = chatClient.GetService<ChatClientMetadata>();
        return metadata is null
            ? chatClient.GetType().FullName ?? "unknown"
            : $"{metadata.ProviderName}|{metadata.ProviderUri}|{metadata.DefaultModelId}";
    }

    /// <summary>Tells whether a response is an answer worth keeping: non-blank text that no content filter stopped.</summary>
    /// <param name="response">The response.</param>
    /// <returns><see langword="true"/> when the response is usable.</returns>
    internal static bool IsUsable(ChatResponse response) =>
        !string.IsNullOrWhiteSpace(response.Text) && response.FinishReason != ChatFinishReason.ContentFilter;

    /// <summary>Copies what the cache keeps of a response: its text as one assistant message, model id, finish reason and usage.</summary>
    /// <param name="response">The response.</param>
    /// <returns>A new response that shares no mutable object with <paramref name="response"/>.</returns>
    internal static ChatResponse CopyAnswer(ChatResponse response)
    {
        UsageDetails? usage = response.Usage;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, response.Text))
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason,
            Usage = usage is null ? null : new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
            },
        };
    }

    /// <inheritdoc/>
    protected override bool EnableCaching(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        PromptRequestKey.IsCacheable(messages, options);

    /// <inheritdoc/>
    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        object?[] extra = [.. additionalValues, .. CacheKeyAdditionalValues ?? []];
        string hash = PromptRequestKey.TryCreate(messages, options, _partition, extra, JsonSerializerOptions)
            ?? throw new InvalidOperationException("The request cannot be described by a cache key; EnableCaching should have returned false for it.");
        return KeyPrefix + hash;
    }

    /// <inheritdoc/>
    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await base.ReadCacheAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.CacheReadFailed(_logger, ex, key);
            return null;
        }
    }

    /// <inheritdoc/>
    protected override async Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            if (!IsUsable(value) || ShouldCache?.Invoke(value) == false)
            {
                return;
            }

            byte[] json = JsonSerializer.SerializeToUtf8Bytes(CopyAnswer(value), JsonSerializerOptions.GetTypeInfo(typeof(ChatResponse)));
            await _storage.SetAsync(key, json, EntryOptions ?? new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.CacheWriteFailed(_logger, ex, key);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Streamed calls are cached as one coalesced response (see <see cref="CachingChatClient.CoalesceStreamingUpdates"/>); this reads that response.</remarks>
    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken) =>
        (await ReadCacheAsync(key, cancellationToken).ConfigureAwait(false))?.ToChatResponseUpdates();

    /// <inheritdoc/>
    /// <remarks>Streamed calls are cached as one coalesced response, with the same rules as <see cref="WriteCacheAsync"/>.</remarks>
    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteCacheAsync(key, value.ToChatResponse(), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(5, LogLevel.Warning, "Reading response cache key {CacheKey} failed; calling the model instead.")]
        public static partial void CacheReadFailed(ILogger logger, Exception exception, string cacheKey);

        [LoggerMessage(6, LogLevel.Warning, "Writing response cache key {CacheKey} failed or the response was rejected; the response is returned but not cached.")]
        public static partial void CacheWriteFailed(ILogger logger, Exception exception, string cacheKey);
    }
}
