using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PromptKit.Internalization;

/// <summary>GenPI's data synthesis by self role-play: a teacher (the model with the prompt) plays the agent, and a model
/// — the same one for self role-play — plays the environment with the roles swapped, until either writes the
/// end-of-conversation marker. No real environment is needed.</summary>
/// <remarks>
/// <para>The agent sees <see cref="RolePlayOptions.AgentPrompt"/>, the task and the conversation. The environment sees
/// <see cref="RolePlayOptions.EnvironmentPrompt"/> and the same conversation with every role swapped: the agent's turns
/// as user turns, its own earlier turns (the task first) as assistant turns.</para>
/// <para><see cref="SynthesizeAsync"/> appends every finished conversation to a JSONL file in the chat format TRL and
/// Axolotl read (one line per conversation, written whole and flushed), and every dropped one to
/// <c>&lt;file&gt;.rejected.jsonl</c>, so a run that fails or is canceled midway loses no finished conversation and the
/// same call resumes after the last task written. A failing model call is not retried here (put retries in the client
/// pipeline) and ends the run with its exception after what was finished is on disk.</para>
/// </remarks>
public sealed partial class RolePlaySynthesizer
{
    private readonly IChatClient _agent;
    private readonly IChatClient _environment;
    private readonly RolePlayOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="RolePlaySynthesizer"/> class.</summary>
    /// <param name="agent">The teacher that plays the agent.</param>
    /// <param name="environment">The model that plays the environment; pass the teacher again for self role-play.</param>
    /// <param name="options">The options; validated, and read on every call (do not change them during a run).</param>
    /// <param name="logger">Where to log dropped conversations, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> break a rule; every failure is listed.</exception>
    public RolePlaySynthesizer(IChatClient agent, IChatClient environment, RolePlayOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new RolePlayOptionsValidator());
        _agent = agent;
        _environment = environment;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Plays one conversation from a task.</summary>
    /// <param name="task">The task (the environment's first turn).</param>
    /// <param name="taskIndex">The task's index, recorded in the conversation.</param>
    /// <param name="cancellationToken">Checked before each turn.</param>
    /// <returns>The conversation and how it ended.</returns>
    /// <exception cref="ArgumentException"><paramref name="task"/> is null or blank.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<RolePlayConversation> PlayAsync(string task, int taskIndex = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        (RolePlayConversation conversation, _) = await PlayCountingAsync(task, taskIndex, cancellationToken).ConfigureAwait(false);
        return conversation;
    }

    /// <summary>Plays a conversation for each task not yet in the output files and appends it there.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <param name="outputPath">The JSONL file of finished conversations; dropped ones go to <c>&lt;outputPath&gt;.rejected.jsonl</c>.</param>
    /// <param name="cancellationToken">Checked before each turn.</param>
    /// <returns>The counts, those of an earlier run included.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputPath"/> is null or blank, or a task is blank.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled (finished conversations are on disk).</exception>
    public async Task<RolePlaySynthesisResult> SynthesizeAsync(IReadOnlyList<string> tasks, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        for (int i = 0; i < tasks.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tasks[i]))
            {
                throw new ArgumentException($"Task {i} is blank.", nameof(tasks));
            }
        }

        string output = Path.GetFullPath(outputPath);
        string rejected = output + ".rejected.jsonl";
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var counts = new int[4];
        var done = new HashSet<int>();
        foreach (string path in new[] { output, rejected })
        {
            JsonLinesFile.Repair(path);
            if (File.Exists(path))
            {
                foreach (RolePlayConversation previous in RolePlayConversation.ReadJsonLines(path))
                {
                    if (done.Add(previous.TaskIndex))
                    {
                        counts[(int)previous.Status]++;
                    }
                }
            }
        }

        int resumed = done.Count;
        long calls = 0;
        for (int i = 0; i < tasks.Count; i++)
        {
            if (done.Contains(i))
            {
                continue;
            }

            (RolePlayConversation conversation, int made) = await PlayCountingAsync(tasks[i], i, cancellationToken).ConfigureAwait(false);
            calls += made;
            counts[(int)conversation.Status]++;
            if (conversation.Status == RolePlayStatus.Finished)
            {
                JsonLinesFile.Append(output, conversation.ToJsonLine());
            }
            else
            {
                JsonLinesFile.Append(rejected, conversation.ToJsonLine());
                LogDropped(_logger, i, conversation.Status);
            }
        }

        return new RolePlaySynthesisResult(counts[0], counts[1], counts[2], counts[3], resumed, calls);
    }

    /// <summary>The conversation as the environment sees it in self role-play: its system prompt, then every turn with
    /// the role swapped (the task and its own outputs as assistant turns, the agent's replies as user turns). Use it
    /// also to train a model to play the environment from recorded episodes.</summary>
    /// <param name="environmentPrompt">The environment's system prompt.</param>
    /// <param name="turns">The conversation from the agent's side (the task first, as a user turn), without a system prompt.</param>
    /// <returns>The environment's view.</returns>
    /// <exception cref="ArgumentException"><paramref name="environmentPrompt"/> is null or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="turns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A turn is neither a user nor an assistant turn.</exception>
    public static IReadOnlyList<ChatMessage> EnvironmentView(string environmentPrompt, IEnumerable<ChatMessage> turns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environmentPrompt);
        ArgumentNullException.ThrowIfNull(turns);
        var view = new List<ChatMessage> { new(ChatRole.System, environmentPrompt) };
        foreach (ChatMessage turn in turns)
        {
            ArgumentNullException.ThrowIfNull(turn, nameof(turns));
            if (turn.Role != ChatRole.User && turn.Role != ChatRole.Assistant)
            {
                throw new ArgumentException($"Only user and assistant turns can be swapped; found a {turn.Role} turn.", nameof(turns));
            }

            view.Add(new ChatMessage(turn.Role == ChatRole.User ? ChatRole.Assistant : ChatRole.User, turn.Text));
        }

        return view;
    }

    private async Task<(RolePlayConversation Conversation, int Calls)> PlayCountingAsync(string task, int taskIndex, CancellationToken cancellationToken)
    {
        string agentPrompt = _options.AgentPrompt!;
        var turns = new List<ChatMessage> { new(ChatRole.User, task) };
        int characters = task.Length;
        int calls = 0;
        RolePlayStatus status = RolePlayStatus.NeverEnded;
        for (int turn = 0; turn < _options.MaxTurns; turn++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool agentTurn = turn % 2 == 0;
            IEnumerable<ChatMessage> view = agentTurn
                ? [new ChatMessage(ChatRole.System, agentPrompt), .. turns]
                : EnvironmentView(_options.EnvironmentPrompt!, turns);
            var chatOptions = new ChatOptions
            {
                Temperature = agentTurn ? _options.Temperature : _options.EnvironmentTemperature ?? _options.Temperature,
                MaxOutputTokens = _options.MaxTurnTokens,
                Seed = (taskIndex * 1_000L) + turn, // each turn its own draw, the same on a rerun
            };
            ChatResponse response = await (agentTurn ? _agent : _environment).GetResponseAsync(view, chatOptions, cancellationToken).ConfigureAwait(false);
            calls++;
            string text = response.Text.Trim();
            turns.Add(new ChatMessage(agentTurn ? ChatRole.Assistant : ChatRole.User, text));
            characters += text.Length;
            bool ends = text.Contains(_options.EndOfConversation, StringComparison.Ordinal);
            string content = ends ? text.Replace(_options.EndOfConversation, string.Empty, StringComparison.Ordinal).Trim() : text;
            // An environment may well answer "Error: no such file"; only the agent's turns are checked for refusals and protocol.
            if ((content.Length == 0 && !ends) || (agentTurn && (PromptKit.ModelAnswers.IsRefusalOrError(text) || (_options.IsValidAgentTurn is { } valid && !valid(text)))))
            {
                status = RolePlayStatus.Broken;
                break;
            }

            if (characters > _options.MaxCharacters)
            {
                status = RolePlayStatus.TooLong;
                break;
            }

            if (ends)
            {
                status = RolePlayStatus.Finished;
                break;
            }
        }

        return (new RolePlayConversation(taskIndex, agentPrompt, turns, status), calls);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskIndex}: conversation dropped ({Status}).")]
    private static partial void LogDropped(ILogger logger, int taskIndex, RolePlayStatus status);
}
