using Microsoft.Extensions.AI;
using PromptKit.Internalization;

namespace PromptKit.Samples.PromptInternalization;

/// <summary>Plays the environment of the role-play with a simulated shell (what the environment says is computed, not
/// generated). Conversations are played one after another; the first call of a conversation (the task and one agent
/// turn) takes the next task with that instruction, whose file system then answers every command of the conversation.</summary>
internal sealed class ShellChatClient(IEnumerable<ShellTask> tasks) : IChatClient
{
    private readonly Dictionary<string, Queue<ShellTask>> _pending = tasks.GroupBy(static t => t.Instruction, StringComparer.Ordinal)
        .ToDictionary(static g => g.Key, static g => new Queue<ShellTask>(g), StringComparer.Ordinal);

    private ShellTask? _current;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The environment's view has the roles swapped: its own turns (the task first) are assistant turns, the agent's are user turns.
        List<ChatMessage> turns = [.. messages.Where(static m => m.Role != ChatRole.System)];
        if (turns.Count == 2 || _current is null || _current.Instruction != turns[0].Text)
        {
            Queue<ShellTask> queue = _pending[turns[0].Text];
            _current = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        }

        var environment = new ShellEnvironment(_current);
        string observation = string.Empty;
        foreach (ChatMessage agentTurn in turns.Where(static m => m.Role == ChatRole.User))
        {
            observation = environment.Step(agentTurn.Text);
        }

        string text = environment.IsDone ? observation + " <END>" : observation;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
