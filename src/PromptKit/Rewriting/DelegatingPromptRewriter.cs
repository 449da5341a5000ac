namespace PromptKit;

/// <summary>A rewriter that passes every call to an inner rewriter: the base class of the layers of a rewriting pipeline.</summary>
/// <remarks>
/// <para>Override <see cref="RewriteAsync"/> to edit the prompt before and/or after the inner rewriter runs. The
/// rewriters PromptKit ships edit first and then pass the result on, so a pipeline built with
/// <see cref="PromptRewriterBuilder"/> applies its layers in the order of the <c>Use</c> calls and the inner rewriter
/// last.</para>
/// <para>Disposing the rewriter disposes the inner rewriter, as <c>DelegatingChatClient</c> does in
/// Microsoft.Extensions.AI, so disposing the outermost layer releases the whole pipeline.</para>
/// </remarks>
public abstract class DelegatingPromptRewriter : IPromptRewriter
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingPromptRewriter"/> class.</summary>
    /// <param name="innerRewriter">The rewriter that calls are passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriter"/> is <see langword="null"/>.</exception>
    protected DelegatingPromptRewriter(IPromptRewriter innerRewriter)
    {
        ArgumentNullException.ThrowIfNull(innerRewriter);
        InnerRewriter = innerRewriter;
    }

    /// <summary>Gets the rewriter that calls are passed to.</summary>
    protected IPromptRewriter InnerRewriter { get; }

    /// <inheritdoc/>
    public virtual ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default) =>
        InnerRewriter.RewriteAsync(prompt, context, cancellationToken);

    /// <inheritdoc/>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        // A key this layer does not know is passed through to the inner rewriter, as DelegatingChatClient does.
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerRewriter.GetService(serviceType, serviceKey);
    }

    /// <summary>Disposes the rewriter and the inner rewriter.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the resources the rewriter holds.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>; <see langword="false"/> when called from a finalizer.</param>
    /// <remarks>The base implementation disposes <see cref="InnerRewriter"/> when <paramref name="disposing"/> is <see langword="true"/>.</remarks>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerRewriter.Dispose();
        }
    }
}
