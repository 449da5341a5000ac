using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;

namespace PromptKit;

/// <summary>The geometry of a pointer rewriter: how many elements it sees, how long a rewrite may be, how often an
/// element may be copied, and where the request's context is read.</summary>
/// <remarks>A trained policy is tied to these values (they fix its observation size and action count); keep them with
/// the policy's weights.</remarks>
public sealed class PointerRewriterOptions
{
    /// <summary>Gets or sets the most elements the policy sees; elements past it are dropped (kept in original order).</summary>
    /// <value>The default is 24.</value>
    [Range(1, 512)]
    public int MaxElements { get; set; } = 24;

    /// <summary>Gets or sets the most elements one rewrite emits before it stops.</summary>
    /// <value>The default is 24.</value>
    [Range(1, 1024)]
    public int MaxLength { get; set; } = 24;

    /// <summary>Gets or sets how many times one element may be emitted (2 allows one repetition).</summary>
    /// <value>The default is 2.</value>
    [Range(1, 16)]
    public int MaxCopies { get; set; } = 2;

    /// <summary>Gets or sets a value indicating whether each element block carries the element's text encoding. Without
    /// it the policy sees only the eight generic features (validity, kind, position, copies, last emitted, similarity to
    /// the context, length, component), so it cannot tell elements apart by their words (an ablation: less to overfit).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeElementText { get; set; } = true;

    /// <summary>Gets or sets the component kinds whose text is the request's context (what the new text is about).</summary>
    /// <value>The default is <see cref="PromptComponentKind.Query"/>.</value>
    public ImmutableArray<PromptComponentKind> ContextKinds { get; set; } = [PromptComponentKind.Query];

    internal PointerRewriterOptions Copy() => (PointerRewriterOptions)MemberwiseClone();
}
