using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Adds a <see cref="ListLimitPromptRewriter"/> to a <see cref="PromptRewriterBuilder"/>.</summary>
public static class ListLimitPromptRewriterBuilderExtensions
{
    /// <summary>Adds a layer that keeps at most <paramref name="maxItems"/> items in the editable list components of the given kinds to the builder.</summary>
    /// <param name="builder">The rewriter builder.</param>
    /// <param name="maxItems">The most items each matching component keeps; at least 1.</param>
    /// <param name="retention">Whether the first or the last items are kept.</param>
    /// <param name="kinds">The kinds of editable list component to shorten; at least one.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="kinds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxItems"/> is less than 1, or <paramref name="retention"/> or a value in <paramref name="kinds"/> is not a defined value.
    /// </exception>
    public static PromptRewriterBuilder UseListLimit(
        this PromptRewriterBuilder builder, int maxItems, ListItemRetention retention, params IEnumerable<PromptComponentKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ListLimitPromptRewriter.ThrowIfInvalid(maxItems, retention);
        ImmutableArray<PromptComponentKind> checkedKinds = EditableComponentEdit.ToKinds(kinds, nameof(kinds));
        return builder.Use(inner => new ListLimitPromptRewriter(inner, maxItems, retention, checkedKinds));
    }
}
