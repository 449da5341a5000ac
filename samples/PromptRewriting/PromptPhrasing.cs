using System.Collections.Immutable;
using PromptKit;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>How the prompt's sections are named and headed. The "other-phrasing" variant renames every section and
/// rewords the instruction, so that a result cannot hang on the default wording.</summary>
internal sealed class PromptPhrasing
{
    public static PromptPhrasing Default { get; } = new(PromptFormat.Default, null, ImmutableDictionary<PromptComponentKind, string>.Empty);

    public static PromptPhrasing Other { get; } = new(
        new PromptFormat
        {
            Headings = ImmutableDictionary<PromptComponentKind, string>.Empty
                .Add(PromptComponentKind.Query, "Title of the next paper")
                .Add(PromptComponentKind.RetrievedEntries, "Related earlier papers by the same author")
                .Add(PromptComponentKind.Summary, "About the author's research")
                .Add(PromptComponentKind.Synthesis, "Recurring themes and writing habits"),
        },
        "You are drafting the abstract of a researcher's next paper. Ground it in the earlier work and habits shown below.",
        ImmutableDictionary<PromptComponentKind, string>.Empty
            .Add(PromptComponentKind.Query, "next_paper")
            .Add(PromptComponentKind.RetrievedEntries, "earlier_papers")
            .Add(PromptComponentKind.Summary, "research_profile")
            .Add(PromptComponentKind.Synthesis, "themes"));

    private readonly string? _instruction;
    private readonly ImmutableDictionary<PromptComponentKind, string> _names;

    private PromptPhrasing(PromptFormat format, string? instruction, ImmutableDictionary<PromptComponentKind, string> names)
    {
        Format = format;
        _instruction = instruction;
        _names = names;
    }

    public PromptFormat Format { get; }

    public Prompt Apply(Prompt prompt)
    {
        var builder = new PromptBuilder();
        foreach (PromptComponent original in prompt.Components)
        {
            PromptComponent component = original;
            if (_names.TryGetValue(component.Kind, out string? name))
            {
                component = component.WithName(name);
            }

            if (_instruction is not null && component.Kind == PromptComponentKind.Instruction)
            {
                component = component.WithText(_instruction);
            }

            builder.Add(component);
        }

        return builder.Build();
    }
}
