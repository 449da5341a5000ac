namespace PromptKit.Internalization;

/// <summary>GenPI's training data: imitation examples (the teacher's conversations without the prompt, agent turns
/// learned, weight r) and prompt-generation examples (given the input and the outputs without and with the prompt, the
/// student writes the prompt and the reason for the change, weight 1 − r).</summary>
public sealed class GenPiData
{
    internal GenPiData(double imitationWeight, IReadOnlyList<LanguageModelingExample> imitation, IReadOnlyList<LanguageModelingExample> promptGeneration, int unchanged, int noReason, long calls)
    {
        ImitationWeight = imitationWeight;
        Imitation = imitation;
        PromptGeneration = promptGeneration;
        Unchanged = unchanged;
        NoReason = noReason;
        Calls = calls;
    }

    /// <summary>Gets GenPI's r: the weight of the imitation examples (the prompt-generation examples weigh 1 − r).</summary>
    public double ImitationWeight { get; }

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

    /// <summary>The same examples weighted for another r, without calling the models again: a sweep over r (e.g. 0.3,
    /// 0.7 and SFT only, r = 1) pays for the student's and the commentator's generations once. With r = 1 the
    /// prompt-generation examples are left out, with r = 0 the imitation examples.</summary>
    /// <param name="imitationWeight">The new r, in [0, 1].</param>
    /// <returns>The reweighted data (counts and calls as this data's).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="imitationWeight"/> is outside [0, 1] or not a number.</exception>
    /// <exception cref="InvalidOperationException">The new r needs examples this data was built without (it was built
    /// with r = 1, so it has no prompt-generation examples, or with r = 0, so it has no imitation examples).</exception>
    public GenPiData WithImitationWeight(double imitationWeight)
    {
        if (!(imitationWeight >= 0 && imitationWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(imitationWeight), imitationWeight, "r must be in [0, 1].");
        }

        if (imitationWeight < 1 && ImitationWeight >= 1)
        {
            throw new InvalidOperationException($"This data was built with r = 1 (SFT only) and has no prompt-generation examples; build it with 0 < r < 1 to reweight it to r = {imitationWeight}.");
        }

        if (imitationWeight > 0 && ImitationWeight <= 0)
        {
            throw new InvalidOperationException($"This data was built with r = 0 and has no imitation examples; build it with 0 < r < 1 to reweight it to r = {imitationWeight}.");
        }

        IReadOnlyList<LanguageModelingExample> imitation = imitationWeight > 0 ? [.. Imitation.Select(e => e.WithWeight(imitationWeight))] : [];
        IReadOnlyList<LanguageModelingExample> generation = imitationWeight < 1 ? [.. PromptGeneration.Select(e => e.WithWeight(1 - imitationWeight))] : [];
        return new GenPiData(imitationWeight, imitation, generation, Unchanged, NoReason, Calls);
    }
}
