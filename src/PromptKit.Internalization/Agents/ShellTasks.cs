using System.Globalization;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>The built-in shell agent task: templated tasks over small in-memory file systems, the system prompt that
/// says how to act on them, and a scripted expert that follows that prompt.</summary>
/// <remarks>Three templates: read a file (<c>cat</c>), count the files of a folder (<c>ls</c>) and find which file of a
/// folder holds a word (<c>grep</c>). The answer is only reachable through the environment, and only a reply in the
/// prompt's protocol acts on it, so the prompt is really needed.</remarks>
public static class ShellTasks
{
    /// <summary>The agent's system prompt: the protocol, the commands and the rules (the prompt GenPI internalizes).</summary>
    public const string AgentPrompt =
        """
        You are a careful shell agent. You solve the user's task by running commands in a small read-only file system,
        then you give the answer. Follow this protocol exactly, in every reply:
        1. Write one line that starts with "Think:" and says what you will do next and why.
        2. Write one line that starts with "Act:" and holds exactly one action:
           - "Act: bash <command>" runs one command; the next message is its output.
           - "Act: answer <text>" gives the final answer: only the answer itself, no sentence around it.
        Commands: "ls <folder>" lists the files of a folder, one name a line; "cat <folder>/<file>" prints a file;
        "grep <word> <folder>" prints the files of a folder that contain the word. There are no other commands,
        no pipes and no options. Never guess: look at the files first. Counts are written as digits. Answer as soon
        as you know the answer. Write nothing else.
        """;

    /// <summary>The system prompt under which a model plays the shell in GenPI's self role-play (the roles swapped: the
    /// task and the shell's outputs are its own turns, the agent's replies come as user turns). The role-played shell
    /// has no real file system: it writes plausible outputs, and <c>&lt;END&gt;</c> once the agent answers.</summary>
    public const string EnvironmentPrompt =
        """
        You play the shell of a small read-only file system for an agent. The user's messages are the agent's replies.
        For "Act: bash <command>" write only the command's output; for "Act: answer <text>" write only <END>.
        """;

    private static readonly string[] Folders = ["docs", "notes", "logs", "data", "mail"];
    private static readonly string[] Names = ["plan", "todo", "report", "list", "draft", "memo", "summary", "ideas"];
    private static readonly string[] Words = ["apple", "river", "stone", "cloud", "maple", "tiger", "lemon", "orbit", "piano", "cedar", "amber", "delta"];

    /// <summary>Makes <paramref name="count"/> tasks from a seed (the same seed gives the same tasks).</summary>
    /// <param name="count">How many tasks.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The tasks.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<ShellTask> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var tasks = new List<ShellTask>(count);
        for (int i = 0; i < count; i++)
        {
            string folder = Folders[random.Next(Folders.Length)];
            int fileCount = random.Next(2, 5);
            string[] names = [.. Names.OrderBy(_ => random.Next()).Take(fileCount)];
            string[] words = [.. Words.OrderBy(_ => random.Next()).Take(fileCount)];
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int f = 0; f < fileCount; f++)
            {
                files[$"{folder}/{names[f]}.txt"] = words[f];
            }

            string other = Folders.First(f => f != folder);
            files[$"{other}/readme.txt"] = Words[random.Next(Words.Length)];
            int target = random.Next(fileCount);
            tasks.Add((i % 3) switch
            {
                0 => new ShellTask($"What is written in {folder}/{names[target]}.txt?", files, words[target]),
                1 => new ShellTask($"How many files are in the folder {folder}?", files, fileCount.ToString(CultureInfo.InvariantCulture)),
                _ => new ShellTask($"Which file in {folder} contains the word {words[target]}?", files, $"{names[target]}.txt"),
            });
        }

        return tasks;
    }

    /// <summary>The expert's whole episode: the task as the user's turn, then the expert's replies
    /// (<see cref="ExpertTurns"/>) and the environment's outputs between them, without a system prompt.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The turns, the expert's answer last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The task was not made by <see cref="Generate"/>.</exception>
    public static IReadOnlyList<ChatMessage> ExpertEpisode(ShellTask task)
    {
        IReadOnlyList<string> replies = ExpertTurns(task);
        var environment = new ShellEnvironment(task);
        var turns = new List<ChatMessage> { new(ChatRole.User, task.Instruction) };
        foreach (string reply in replies)
        {
            turns.Add(new ChatMessage(ChatRole.Assistant, reply));
            string observation = environment.Step(reply);
            if (!environment.IsDone)
            {
                turns.Add(new ChatMessage(ChatRole.User, observation));
            }
        }

        return turns;
    }

    /// <summary>The expert's replies for a task, as the prompt asks: think, act, and answer when known.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The expert's turns; the environment's outputs are those of <see cref="ShellEnvironment"/>.</returns>
    public static IReadOnlyList<string> ExpertTurns(ShellTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        string instruction = task.Instruction;
        if (instruction.StartsWith("What is written in ", StringComparison.Ordinal))
        {
            string path = instruction["What is written in ".Length..^1];
            return [$"Think: I read the file {path}.\nAct: bash cat {path}", $"Think: The file says {task.ExpectedAnswer}.\nAct: answer {task.ExpectedAnswer}"];
        }

        if (instruction.StartsWith("How many files are in the folder ", StringComparison.Ordinal))
        {
            string folder = instruction["How many files are in the folder ".Length..^1];
            return [$"Think: I list the folder {folder}.\nAct: bash ls {folder}", $"Think: I count {task.ExpectedAnswer} files.\nAct: answer {task.ExpectedAnswer}"];
        }

        if (!instruction.StartsWith("Which file in ", StringComparison.Ordinal) || !instruction.Contains(" contains the word ", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The task '{instruction}' was not made by {nameof(Generate)}; the expert knows only its three templates.", nameof(task));
        }

        string rest = instruction["Which file in ".Length..^1];
        string folderName = rest[..rest.IndexOf(' ', StringComparison.Ordinal)];
        string word = rest[(rest.LastIndexOf(' ') + 1)..];
        return [$"Think: I search the folder {folderName} for {word}.\nAct: bash grep {word} {folderName}", $"Think: The word is in {task.ExpectedAnswer}.\nAct: answer {task.ExpectedAnswer}"];
    }
}
