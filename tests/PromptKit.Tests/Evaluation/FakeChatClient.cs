using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Evaluation;

/// <summary>One call received by <see cref="FakeChatClient"/>.</summary>
internal sealed record FakeChatCall(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, CancellationToken CancellationToken)
{
    public string LastText => Messages[^1].Text;
}

/// <summary>
/// A scriptable <see cref="IChatClient"/> for tests: the handler decides each response (or throws, or waits); the
/// client counts calls and records the largest number of calls in progress at once.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly Func<FakeChatCall, Task<ChatResponse>> _handler;
    private int _callCount;
    private int _current;
    private int _maxConcurrency;

    public FakeChatClient(Func<FakeChatCall, Task<ChatResponse>> handler) => _handler = handler;

    public FakeChatClient(Func<FakeChatCall, ChatResponse> handler)
        : this(call => Task.FromResult(handler(call)))
    {
    }

    public int CallCount => Volatile.Read(ref _callCount);

    public int CurrentConcurrency => Volatile.Read(ref _current);

    public int MaxConcurrency => Volatile.Read(ref _maxConcurrency);

    public ConcurrentQueue<FakeChatCall> Calls { get; } = new();

    /// <summary>Answers "echo: " + the last message's text, with usage 10 input, 5 output, 15 total tokens.</summary>
    public static FakeChatClient Echo() => new(call => Response("echo: " + call.LastText, Usage(10, 5, 15)));

    public static ChatResponse Response(string text, UsageDetails? usage = null) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage, ModelId = "fake-model" };

    public static UsageDetails Usage(long? input, long? output, long? total) =>
        new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total };

    public async Task WaitForCallsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (CallCount < count)
        {
            await Task.Delay(1, timeout.Token);
        }
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var call = new FakeChatCall(Interlocked.Increment(ref _callCount) - 1, [.. messages], options, cancellationToken);
        Calls.Enqueue(call);
        int now = Interlocked.Increment(ref _current);
        int max;
        while (now > (max = Volatile.Read(ref _maxConcurrency)) && Interlocked.CompareExchange(ref _maxConcurrency, now, max) != max)
        {
        }

        try
        {
            return await _handler(call);
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The evaluator never streams.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
