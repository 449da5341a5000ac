namespace PromptKit.Internalization;

/// <summary>GenPI's training data: imitation examples (the teacher's conversations without the prompt, agent turns
/// learned, weight r) and prompt-generation examples (given the input and the outputs without and with the prompt, the
/// student writes the prompt and the reason for the change, weight 1 − r).</summary>
public sealed class GenPiData
{
    internal GenPiData(IReadOnlyList<LanguageModelingExample> imitation, IReadOnlyList<LanguageModelingExample> promptGeneration, int unchanged, int noReason, long calls)
    {
        Imitation = imitation;
        PromptGeneration = promptGeneration;
        Unchanged = unchanged;
        NoReason = noReason;
        Calls = calls;
    }

    /// <summary>Gets the imitation (SFT) examples.</summary>
    public IReadOnlyList<LanguageModelingExample> Imitation { get; }

    /// <summary>Gets the prompt-generation (PG) examples.</summary>
    public IReadOnlyList<LanguageModelingExample> PromptGeneration { get; }

    /// <summary>Gets the agent turns the student already wrote as the teacher did (no prompt-generation example: nothing to explain).</summary>
    public int Unchanged { get; }

    /// <summary>Gets the turns whose reason came back empty, refused or as an error (no example).</summary>
    public int NoReason { get; }

    /// <summary>Gets the model calls made (student and commentator).</summary>
    public long Calls { get; }

    /// <summary>Gets both kinds together, for <see cref="LanguageModelTrainer"/>: its weighted token loss is then GenPI's joint loss.</summary>
    public IReadOnlyList<LanguageModelingExample> All => [.. Imitation, .. PromptGeneration];
}
