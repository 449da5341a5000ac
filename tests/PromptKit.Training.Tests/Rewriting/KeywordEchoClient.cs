using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit.Training.Tests;

/// <summary>A toy frozen model for rewriting tests: it answers "draft:" followed by the items of the prompt's
/// "synthesis" block, in order, so that a rewrite that keeps exactly the target's keywords in the target's order scores
/// best. A prompt whose synthesis holds "poison" fails (an outage tied to the prompt, not to call order); one whose
/// synthesis holds "silence" gets an empty answer.</summary>
internal sealed partial class KeywordEchoClient : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        string text = string.Concat(messages.Select(m => m.Text));
        Match block = Synthesis().Match(text);
        string[] items = block.Success
            ? [.. block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => Numbering().Replace(l, string.Empty))]
            : [];
        if (items.Contains("poison"))
        {
            throw new InvalidOperationException("simulated outage for this prompt");
        }

        string answer = items.Contains("silence") ? " " : "draft: " + string.Join(' ', items);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"<user_data name=""synthesis"">(.*?)</user_data>", RegexOptions.Singleline)]
    private static partial Regex Synthesis();

    [GeneratedRegex(@"^\d+\.\s*")]
    private static partial Regex Numbering();
}
