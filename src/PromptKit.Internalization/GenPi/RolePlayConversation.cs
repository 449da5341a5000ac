using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>One conversation of the teacher with the prompt: the task, then agent (assistant) and environment (user)
/// turns; with how it ended. Immutable.</summary>
public sealed class RolePlayConversation
{
    /// <summary>Initializes a new instance of the <see cref="RolePlayConversation"/> class.</summary>
    /// <param name="taskIndex">The index of the task in the synthesis input.</param>
    /// <param name="systemPrompt">The agent's system prompt the teacher had.</param>
    /// <param name="turns">The turns: the task (user) first, then alternating assistant and user turns.</param>
    /// <param name="status">How it ended.</param>
    /// <exception cref="ArgumentNullException"><paramref name="systemPrompt"/> or <paramref name="turns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="turns"/> is empty or does not start with a user turn.</exception>
    public RolePlayConversation(int taskIndex, string systemPrompt, IReadOnlyList<ChatMessage> turns, RolePlayStatus status)
    {
        ArgumentNullException.ThrowIfNull(systemPrompt);
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count == 0 || turns[0].Role != ChatRole.User)
        {
            throw new ArgumentException("A conversation starts with the task as a user turn.", nameof(turns));
        }

        TaskIndex = taskIndex;
        SystemPrompt = systemPrompt;
        Turns = [.. turns];
        Status = status;
    }

    /// <summary>Gets the index of the task in the synthesis input.</summary>
    public int TaskIndex { get; }

    /// <summary>Gets the agent's system prompt.</summary>
    public string SystemPrompt { get; }

    /// <summary>Gets the turns, the task first.</summary>
    public ImmutableArray<ChatMessage> Turns { get; }

    /// <summary>Gets how the conversation ended.</summary>
    public RolePlayStatus Status { get; }

    /// <summary>Gets the conversation as the teacher saw it: the system prompt, then the turns.</summary>
    public IReadOnlyList<ChatMessage> WithPrompt() => [new ChatMessage(ChatRole.System, SystemPrompt), .. Turns];

    /// <summary>Writes the conversation as one JSON line in the chat format TRL and Axolotl read
    /// (<c>{"messages":[{"role":…,"content":…}, …]}</c>, the system prompt first), with <c>task_index</c> and <c>status</c>.</summary>
    /// <returns>The line, without a newline.</returns>
    public string ToJsonLine()
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = SystemPrompt } };
        foreach (ChatMessage turn in Turns)
        {
            messages.Add(new JsonObject { ["role"] = turn.Role.Value, ["content"] = turn.Text });
        }

        var line = new JsonObject
        {
            ["messages"] = messages,
            ["task_index"] = TaskIndex,
            ["status"] = Status.ToString(),
        };
        return line.ToJsonString();
    }

    /// <summary>Parses a line written by <see cref="ToJsonLine"/> (or any line in the same chat format; a missing
    /// <c>task_index</c> reads as -1 and a missing <c>status</c> as finished).</summary>
    /// <param name="line">The JSON line.</param>
    /// <returns>The conversation.</returns>
    /// <exception cref="FormatException">The line is not such a conversation.</exception>
    public static RolePlayConversation FromJsonLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            var root = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("The line is not a JSON object.");
            var messages = root["messages"] as JsonArray ?? throw new FormatException("The line has no 'messages' array.");
            string system = string.Empty;
            var turns = new List<ChatMessage>();
            foreach (JsonNode? node in messages)
            {
                string role = node?["role"]?.GetValue<string>() ?? throw new FormatException("A message has no role.");
                string content = node["content"]?.GetValue<string>() ?? string.Empty;
                if (role == "system" && turns.Count == 0)
                {
                    system = content;
                }
                else
                {
                    turns.Add(new ChatMessage(new ChatRole(role), content));
                }
            }

            RolePlayStatus status = root["status"]?.GetValue<string>() is string s
                ? (Enum.TryParse(s, out RolePlayStatus parsed) && Enum.IsDefined(parsed) ? parsed : throw new FormatException($"Unknown status '{s}'."))
                : RolePlayStatus.Finished;
            return new RolePlayConversation(root["task_index"]?.GetValue<int>() ?? -1, system, turns, status);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Not a conversation line: {e.Message}", e);
        }
    }

    /// <summary>Reads the finished conversations of a JSONL file written by <see cref="RolePlaySynthesizer"/> (or TRL/Axolotl chat data).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The conversations, in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A complete line is not a conversation (a torn last line is ignored).</exception>
    public static IReadOnlyList<RolePlayConversation> ReadJsonLines(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var result = new List<RolePlayConversation>();
        foreach (string line in JsonLinesFile.CompleteLines(path))
        {
            result.Add(FromJsonLine(line));
        }

        return result;
    }
}

/// <summary>Appends JSON lines so that a crash leaves only whole lines behind a reader: each line is one write of its
/// bytes and a flush to disk; a torn last line (no newline) is cut off before the next append.</summary>
internal static class JsonLinesFile
{
    public static IEnumerable<string> CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file '{Path.GetFullPath(path)}' does not exist.", path);
        }

        string text = File.ReadAllText(path, Encoding.UTF8);
        int end = text.LastIndexOf('\n');
        if (end < 0)
        {
            yield break;
        }

        foreach (string line in text[..end].Split('\n'))
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>Cuts a torn last line off (after a crash mid-write).</summary>
    public static void Repair(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        long length = stream.Length;
        long keep = length;
        var one = new byte[1];
        while (keep > 0)
        {
            stream.Position = keep - 1;
            stream.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            keep--;
        }

        if (keep != length)
        {
            stream.SetLength(keep);
        }
    }

    public static void Append(string path, string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
