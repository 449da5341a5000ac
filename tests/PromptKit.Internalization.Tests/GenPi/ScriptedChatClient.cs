using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

/// <summary>A chat client that answers from a function of the request and records every request it saw.</summary>
internal sealed class ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> answer) : IChatClient
{
    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ChatMessage> list = [.. messages];
        Requests.Add(list);
        Options.Add(options);
        // Usage as a real client reports it: here one token per message in, one per reply out.
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(list)))
        {
            Usage = new UsageDetails { InputTokenCount = list.Count, OutputTokenCount = 1 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
