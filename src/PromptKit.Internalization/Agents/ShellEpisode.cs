using System.Collections.Immutable;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>The outcome of one agent episode on a <see cref="ShellTask"/>.</summary>
public sealed class ShellEpisode
{
    internal ShellEpisode(bool succeeded, bool brokeProtocol, IReadOnlyList<ChatMessage> turns, long inputTokens, long outputTokens)
    {
        Succeeded = succeeded;
        BrokeProtocol = brokeProtocol;
        Turns = [.. turns];
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
    }

    /// <summary>Gets a value indicating whether the environment accepted the answer.</summary>
    public bool Succeeded { get; }

    /// <summary>Gets a value indicating whether a reply broke the protocol.</summary>
    public bool BrokeProtocol { get; }

    /// <summary>Gets the conversation (task, agent replies, observations), without the system prompt.</summary>
    public ImmutableArray<ChatMessage> Turns { get; }

    /// <summary>Gets the prompt tokens of every call of the episode, as the client reported them (0 when it reports none).</summary>
    public long InputTokens { get; }

    /// <summary>Gets the generated tokens of every call of the episode.</summary>
    public long OutputTokens { get; }

    /// <summary>Runs one episode: the agent replies, the environment answers, until an answer, a protocol break or
    /// <paramref name="maxTurns"/> replies.</summary>
    /// <param name="agent">The agent model.</param>
    /// <param name="task">The task.</param>
    /// <param name="systemPrompt">The system prompt (e.g. <see cref="ShellTasks.AgentPrompt"/>), or <see langword="null"/> to run without one.</param>
    /// <param name="maxTurns">The most agent replies.</param>
    /// <param name="maxOutputTokens">The most tokens of one reply.</param>
    /// <param name="cancellationToken">Checked before each call.</param>
    /// <returns>The episode.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> or <paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTurns"/> or <paramref name="maxOutputTokens"/> is not positive.</exception>
    public static async Task<ShellEpisode> RunAsync(IChatClient agent, ShellTask task, string? systemPrompt, int maxTurns = 4, int maxOutputTokens = 64, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTurns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputTokens);
        var environment = new ShellEnvironment(task);
        var turns = new List<ChatMessage> { new(ChatRole.User, task.Instruction) };
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = maxOutputTokens };
        long input = 0, output = 0;
        for (int turn = 0; turn < maxTurns && !environment.IsDone; turn++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IEnumerable<ChatMessage> messages = systemPrompt is null ? turns : [new ChatMessage(ChatRole.System, systemPrompt), .. turns];
            ChatResponse response = await agent.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            input += response.Usage?.InputTokenCount ?? 0;
            output += response.Usage?.OutputTokenCount ?? 0;
            string reply = response.Text.Trim();
            turns.Add(new ChatMessage(ChatRole.Assistant, reply));
            string observation = environment.Step(reply);
            if (!environment.IsDone)
            {
                turns.Add(new ChatMessage(ChatRole.User, observation));
            }
        }

        return new ShellEpisode(environment.Succeeded, environment.BrokeProtocol, turns, input, output);
    }
}
