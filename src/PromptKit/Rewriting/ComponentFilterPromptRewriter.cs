using System.Collections.Immutable;

namespace PromptKit;

/// <summary>A pipeline layer that removes the editable components of given kinds, then passes the prompt to the inner rewriter.</summary>
/// <remarks>
/// <para>Only editable components are removed (<see cref="PromptComponent.IsEditable"/>, the rewriter contract of
/// <see cref="Prompt"/>): a fixed component of a listed kind stays. The rewriting method for personalized generation
/// found that frozen models often do better without the summary of the user's documents, so
/// <c>UseComponentFilter(PromptComponentKind.Summary)</c> is a ready-made ablation.</para>
/// <para>When nothing is removed the inner rewriter gets the same <see cref="Prompt"/> instance. A prompt whose
/// components are all removed is passed on empty. Instances are thread-safe.</para>
/// </remarks>
public sealed class ComponentFilterPromptRewriter : DelegatingPromptRewriter
{
    /// <summary>Initializes a new instance of the <see cref="ComponentFilterPromptRewriter"/> class.</summary>
    /// <param name="innerRewriter">The rewriter that receives the filtered prompt.</param>
    /// <param name="kinds">The kinds of editable component to remove; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriter"/> or <paramref name="kinds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kinds"/> holds a value that is not a defined <see cref="PromptComponentKind"/>.</exception>
    public ComponentFilterPromptRewriter(IPromptRewriter innerRewriter, IEnumerable<PromptComponentKind> kinds)
        : base(innerRewriter)
    {
        Kinds = EditableComponentEdit.ToKinds(kinds, nameof(kinds));
    }

    /// <summary>Gets the kinds of editable component that are removed, each once.</summary>
    public ImmutableArray<PromptComponentKind> Kinds { get; }

    /// <inheritdoc/>
    public override ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        cancellationToken.ThrowIfCancellationRequested();
        Prompt filtered = EditableComponentEdit.Apply<object?>(prompt, Kinds, null, static (_, _) => null);
        return InnerRewriter.RewriteAsync(filtered, context, cancellationToken);
    }
}
