using System.Collections.Immutable;

namespace PromptKit.Samples.Writing;

/// <summary>The constants of <see cref="SimulatedWriterChatClient"/>; <see cref="Default"/> and the variants were fixed
/// before any test author's score was looked at (README: "Variants").</summary>
public sealed record SimulatedWriterSettings
{
    /// <summary>Gets the default writer.</summary>
    public static SimulatedWriterSettings Default { get; } = new();

    /// <summary>Gets the "other constants" variant: weaker context, steeper primacy, more weight on repeated prose, three keyword slots, shorter default length.</summary>
    public static SimulatedWriterSettings OtherConstants { get; } = new()
    {
        Name = "other-constants",
        ContextWeight = 2.0,
        CueWeight = 2.5,
        CueDecay = 0.7,
        ContentWeight = 0.4,
        KeywordSlots = 3,
        DefaultLength = 100,
        RedundancyPenalty = 0.7,
    };

    /// <summary>Gets the variant's name, shown in tables.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Gets the salience each word of the request's context (the title) adds.</summary>
    public double ContextWeight { get; init; } = 3.0;

    /// <summary>Gets the salience a short cue item (a keyword) adds to each of its words at the first cue position.</summary>
    public double CueWeight { get; init; } = 2.0;

    /// <summary>Gets the factor by which a cue's salience falls per later cue position (primacy).</summary>
    public double CueDecay { get; init; } = 0.85;

    /// <summary>Gets the salience each word occurrence in longer prose (summaries, entries, style notes) adds.</summary>
    public double ContentWeight { get; init; } = 0.25;

    /// <summary>Gets how many cue items the writer weaves into its keyword sentence.</summary>
    public int KeywordSlots { get; init; } = 4;

    /// <summary>Gets the length in words the writer aims for when the prompt states none.</summary>
    public int DefaultLength { get; init; } = 120;

    /// <summary>Gets how strongly a sentence that repeats covered words is passed over (0: not at all, 1: fully).</summary>
    public double RedundancyPenalty { get; init; } = 0.5;

    /// <summary>Gets the words that mark a block as the request's context when they appear in its label.</summary>
    public ImmutableArray<string> ContextWords { get; init; } = ["query", "title", "topic", "subject", "request", "new", "next"];
}
