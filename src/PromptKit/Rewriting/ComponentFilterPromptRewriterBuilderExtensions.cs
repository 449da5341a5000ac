using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Adds a <see cref="ComponentFilterPromptRewriter"/> to a <see cref="PromptRewriterBuilder"/>.</summary>
public static class ComponentFilterPromptRewriterBuilderExtensions
{
    /// <summary>Adds a layer that removes the editable components of the given kinds to the builder.</summary>
    /// <param name="builder">The rewriter builder.</param>
    /// <param name="kinds">The kinds of editable component to remove; at least one.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="kinds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kinds"/> holds a value that is not a defined <see cref="PromptComponentKind"/>.</exception>
    public static PromptRewriterBuilder UseComponentFilter(this PromptRewriterBuilder builder, params IEnumerable<PromptComponentKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ImmutableArray<PromptComponentKind> checkedKinds = EditableComponentEdit.ToKinds(kinds, nameof(kinds));
        return builder.Use(inner => new ComponentFilterPromptRewriter(inner, checkedKinds));
    }
}
