using System.Collections.Immutable;

namespace PromptKit;

/// <summary>A pipeline layer that keeps at most a given number of items in the editable list components of given kinds, then passes the prompt to the inner rewriter.</summary>
/// <remarks>
/// <para>Kept items stay in their order; <see cref="Retention"/> says whether the first or the last ones are kept. Only
/// editable list components are shortened (<see cref="PromptComponent.IsEditable"/>, the rewriter contract of
/// <see cref="Prompt"/>): history records and retrieved entries are fixed unless they were added with
/// <c>isEditable: true</c>. Text components of a listed kind are left alone.</para>
/// <para>When nothing is shortened the inner rewriter gets the same <see cref="Prompt"/> instance. Instances are thread-safe.</para>
/// </remarks>
public sealed class ListLimitPromptRewriter : DelegatingPromptRewriter
{
    /// <summary>Initializes a new instance of the <see cref="ListLimitPromptRewriter"/> class.</summary>
    /// <param name="innerRewriter">The rewriter that receives the shortened prompt.</param>
    /// <param name="maxItems">The most items each matching component keeps; at least 1 (remove a component with <see cref="ComponentFilterPromptRewriter"/>).</param>
    /// <param name="retention">Whether the first or the last items are kept.</param>
    /// <param name="kinds">The kinds of editable list component to shorten; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriter"/> or <paramref name="kinds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxItems"/> is less than 1, or <paramref name="retention"/> or a value in <paramref name="kinds"/> is not a defined value.
    /// </exception>
    public ListLimitPromptRewriter(IPromptRewriter innerRewriter, int maxItems, ListItemRetention retention, IEnumerable<PromptComponentKind> kinds)
        : base(innerRewriter)
    {
        ThrowIfInvalid(maxItems, retention);
        MaxItems = maxItems;
        Retention = retention;
        Kinds = EditableComponentEdit.ToKinds(kinds, nameof(kinds));
    }

    /// <summary>Gets the most items each matching component keeps.</summary>
    public int MaxItems { get; }

    /// <summary>Gets whether the first or the last items are kept.</summary>
    public ListItemRetention Retention { get; }

    /// <summary>Gets the kinds of editable list component that are shortened, each once.</summary>
    public ImmutableArray<PromptComponentKind> Kinds { get; }

    /// <inheritdoc/>
    public override ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        cancellationToken.ThrowIfCancellationRequested();
        Prompt limited = EditableComponentEdit.Apply(prompt, Kinds, this, static (component, self) => self.Limit(component));
        return InnerRewriter.RewriteAsync(limited, context, cancellationToken);
    }

    /// <summary>Checks the settings; shared with <see cref="ListLimitPromptRewriterBuilderExtensions"/>, which checks them when <c>UseListLimit</c> is called.</summary>
    internal static void ThrowIfInvalid(int maxItems, ListItemRetention retention)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        if (retention is not (ListItemRetention.First or ListItemRetention.Last))
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention, $"Retention {(int)retention} is not a defined {nameof(ListItemRetention)} value.");
        }
    }

    private PromptComponent Limit(PromptComponent component)
    {
        ImmutableArray<string> items = component.Items;
        if (!component.IsList || items.Length <= MaxItems)
        {
            return component;
        }

        int start = Retention == ListItemRetention.First ? 0 : items.Length - MaxItems;
        return component.WithItems(items.Slice(start, MaxItems));
    }
}
