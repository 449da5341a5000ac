using System.Collections.Immutable;
using PromptKit;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>Fixed, context-independent edits of the summary and synthesis: the "best fixed edit" baseline is the one of
/// these with the highest mean reward on training authors, applied unchanged to every test author.</summary>
/// <remarks>Component ordinal 0 is the summary and 1 the synthesis: the order <see cref="GenerationPromptComposer"/>
/// adds its editable components in.</remarks>
internal static class FixedEdits
{
    public static readonly ImmutableArray<(string Name, Func<ImmutableArray<RewriteElement>, ImmutableArray<int>> Edit)> All =
    [
        ("drop the summary", elements => Keep(elements, e => e.ComponentOrdinal != 0)),
        ("drop the synthesis", elements => Keep(elements, e => e.ComponentOrdinal != 1)),
        ("summary: first 2 sentences", elements => Keep(elements, e => e.ComponentOrdinal != 0 || e.Position < 2)),
        ("keywords: first 5", elements => Keep(elements, e => e.ComponentOrdinal != 1 || e.Position < 5 || IsLastOfComponent(elements, e))),
        ("drop the summary, keywords: first 5", elements => Keep(elements, e => e.ComponentOrdinal == 1 && (e.Position < 5 || IsLastOfComponent(elements, e)))),
        ("repeat every keyword", elements => [.. elements.Select((e, i) => (e, i)).SelectMany(p => p.e.ComponentOrdinal == 1 && !IsLastOfComponent(elements, p.e) ? new[] { p.i, p.i } : [p.i])]),
        ("reverse the keywords", elements => [.. Enumerable.Range(0, elements.Length).Where(i => elements[i].ComponentOrdinal != 1), .. Enumerable.Range(0, elements.Length).Where(i => elements[i].ComponentOrdinal == 1).Reverse()]),
    ];

    private static ImmutableArray<int> Keep(ImmutableArray<RewriteElement> elements, Func<RewriteElement, bool> keep) =>
        [.. Enumerable.Range(0, elements.Length).Where(i => keep(elements[i]))];

    // The style line is the synthesis' last item.
    private static bool IsLastOfComponent(ImmutableArray<RewriteElement> elements, RewriteElement element) =>
        !elements.Any(e => e.ComponentOrdinal == element.ComponentOrdinal && e.Position > element.Position);
}

/// <summary>Rewrites every prompt with one element sequence function (a fixed edit, or the identity).</summary>
internal sealed class SequenceRewriter(PointerRewriteLayout layout, Func<ImmutableArray<RewriteElement>, ImmutableArray<int>> edit) : IPromptRewriter
{
    public ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ImmutableArray<RewriteElement> elements = layout.GetElements(prompt);
        ImmutableArray<int> sequence = edit(elements);
        if (sequence.Length > layout.MaxLength)
        {
            sequence = sequence[..layout.MaxLength];
        }

        return ValueTask.FromResult(PointerRewriteEpisode.Compose(prompt, elements, sequence));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
