using System.Text.RegularExpressions;

namespace PromptKit.Samples.PromptInternalization;

/// <summary>The scripted commentator that writes the base model's commentary lessons in pretraining, as the scripted
/// expert (<c>ShellTasks.ExpertTurns</c>) writes its protocol lessons: for a reply in the protocol, the rules of
/// <c>ShellTasks.AgentPrompt</c> that make it differ from a free-form one. GenPI's data builder then asks the pretrained
/// model, never this class, for its reasons.</summary>
internal static partial class Commentary
{
    private const string Protocol = "The prompt says that every reply is one Think: line and one Act: line, and never to guess but to look at the files first";

    /// <summary>The reason for the change from a free-form reply to <paramref name="toBe"/>.</summary>
    public static string Reason(string toBe)
    {
        Match act = ActRegex().Match(toBe);
        if (!act.Success)
        {
            throw new ArgumentException("The reply has no Act: line.", nameof(toBe));
        }

        string[] words = act.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return act.Groups[1].Value == "answer"
            ? $"{Protocol}; \"Act: answer <text>\" gives only the answer itself, so the reply answers {act.Groups[2].Value}."
            : words switch
            {
                ["cat", string path] => $"{Protocol}; \"cat <folder>/<file>\" prints a file, so the reply reads {path}.",
                ["ls", string folder] => $"{Protocol}; \"ls <folder>\" lists the files of a folder, one name a line, so the reply lists {folder} to count them.",
                ["grep", string word, string folder] => $"{Protocol}; \"grep <word> <folder>\" prints the files of a folder that contain the word, so the reply searches {folder} for {word}.",
                _ => $"{Protocol}; the reply runs one of the prompt's commands.",
            };
    }

    [GeneratedRegex(@"\nAct: (bash|answer) ([^\n]+)$")]
    private static partial Regex ActRegex();
}
