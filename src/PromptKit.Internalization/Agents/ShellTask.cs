using System.Collections.Immutable;

namespace PromptKit.Internalization;

/// <summary>One task of the built-in shell agent benchmark: an instruction, an in-memory file system and the answer that
/// counts as success. Immutable.</summary>
public sealed class ShellTask
{
    /// <summary>Initializes a new instance of the <see cref="ShellTask"/> class.</summary>
    /// <param name="instruction">What the user asks.</param>
    /// <param name="files">The files: path (<c>folder/name</c>) to content.</param>
    /// <param name="expectedAnswer">The answer the environment accepts (compared after trimming, case-insensitively).</param>
    /// <exception cref="ArgumentException">The instruction or answer is blank, or there are no files.</exception>
    public ShellTask(string instruction, IReadOnlyDictionary<string, string> files, string expectedAnswer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedAnswer);
        if (files.Count == 0)
        {
            throw new ArgumentException("A task needs at least one file.", nameof(files));
        }

        Instruction = instruction;
        Files = files.ToImmutableSortedDictionary(StringComparer.Ordinal);
        ExpectedAnswer = expectedAnswer;
    }

    /// <summary>Gets what the user asks.</summary>
    public string Instruction { get; }

    /// <summary>Gets the files by path, sorted.</summary>
    public ImmutableSortedDictionary<string, string> Files { get; }

    /// <summary>Gets the accepted answer.</summary>
    public string ExpectedAnswer { get; }
}
