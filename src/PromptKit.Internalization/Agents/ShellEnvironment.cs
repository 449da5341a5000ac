using System.Text.RegularExpressions;

namespace PromptKit.Internalization;

/// <summary>Runs an agent's replies against a <see cref="ShellTask"/>: parses the protocol of
/// <see cref="ShellTasks.AgentPrompt"/>, runs <c>ls</c>, <c>cat</c> and <c>grep</c> on the task's files, and checks the
/// final answer. Success is decided here, never by the agent.</summary>
public sealed partial class ShellEnvironment
{
    private readonly ShellTask _task;

    /// <summary>Initializes a new instance of the <see cref="ShellEnvironment"/> class.</summary>
    /// <param name="task">The task.</param>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    public ShellEnvironment(ShellTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
    }

    /// <summary>Gets a value indicating whether the episode is over (an answer was given or the protocol was broken).</summary>
    public bool IsDone { get; private set; }

    /// <summary>Gets a value indicating whether the agent gave the expected answer.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>Gets a value indicating whether the episode ended because a reply broke the protocol.</summary>
    public bool BrokeProtocol { get; private set; }

    /// <summary>Gets a value indicating whether a reply follows the protocol: a <c>Think:</c> line and one <c>Act:</c> line with a known action.</summary>
    /// <param name="reply">The agent's reply.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool FollowsProtocol(string reply) => reply is not null && Parse(reply) is not null;

    /// <summary>Takes the agent's reply and returns the environment's answer (the command output, or a closing message).</summary>
    /// <param name="reply">The agent's reply.</param>
    /// <returns>The observation.</returns>
    /// <exception cref="InvalidOperationException">The episode is over.</exception>
    public string Step(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (IsDone)
        {
            throw new InvalidOperationException("The episode is over.");
        }

        if (Parse(reply) is not (string action, string argument))
        {
            IsDone = true;
            BrokeProtocol = true;
            return "The reply does not follow the protocol.";
        }

        if (action == "answer")
        {
            IsDone = true;
            Succeeded = string.Equals(argument.Trim().TrimEnd('.'), _task.ExpectedAnswer, StringComparison.OrdinalIgnoreCase);
            return Succeeded ? "Correct." : "Wrong answer.";
        }

        string[] words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["ls", string folder] => List(folder),
            ["cat", string path] => _task.Files.TryGetValue(path, out string? content) ? content : $"cat: {path}: No such file",
            ["grep", string word, string folder] => Grep(word, folder),
            _ => $"bash: {argument}: command not found",
        };
    }

    private string List(string folder)
    {
        string prefix = folder.TrimEnd('/') + "/";
        string[] names = [.. _task.Files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..])];
        return names.Length == 0 ? $"ls: {folder}: No such folder" : string.Join('\n', names);
    }

    private string Grep(string word, string folder)
    {
        string prefix = folder.TrimEnd('/') + "/";
        string[] hits = [.. _task.Files.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Value.Contains(word, StringComparison.Ordinal)).Select(p => p.Key[prefix.Length..])];
        return hits.Length == 0 ? "(no match)" : string.Join('\n', hits);
    }

    private static (string Action, string Argument)? Parse(string reply)
    {
        Match match = ProtocolRegex().Match(reply.Trim());
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value.Trim()) : null;
    }

    [GeneratedRegex(@"^Think: [^\n]+\nAct: (bash|answer) ([^\n]+)$")]
    private static partial Regex ProtocolRegex();
}
