namespace PromptKit;

/// <summary>Rewrites a <see cref="Prompt"/> before it is sent to the frozen model.</summary>
/// <remarks>
/// <para>A rewriter may change only the components whose <see cref="PromptComponent.IsEditable"/> is
/// <see langword="true"/>; fixed components reach the model as they were written. The rewriting method for personalized
/// generation, for instance, edits the editable summary and synthesis components and leaves the instruction alone.</para>
/// <para>Rewriters compose into pipelines with <see cref="PromptRewriterBuilder"/>: each layer derives from
/// <see cref="DelegatingPromptRewriter"/> and wraps the next one. Implementations must be thread-safe, and
/// <see cref="IDisposable.Dispose"/> must be safe to call more than once: a rewriter may own a model (an ONNX session,
/// an <c>IChatClient</c>), and a pipeline disposes the rewriters it wraps.</para>
/// </remarks>
public interface IPromptRewriter : IDisposable
{
    /// <summary>Rewrites a prompt.</summary>
    /// <param name="prompt">The prompt to rewrite. It is immutable, so the rewriter returns a new prompt (or the same one when nothing changes).</param>
    /// <param name="context">What the rewriter may read about the request (e.g. the user), or <see langword="null"/> when there is nothing.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The rewritten prompt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default);

    /// <summary>Asks the rewriter, or a rewriter it wraps, for an object of the given type.</summary>
    /// <param name="serviceType">The type of object being requested.</param>
    /// <param name="serviceKey">An optional key to help identify the object, or <see langword="null"/>.</param>
    /// <returns>The object, or <see langword="null"/> when the pipeline has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// This is how code finds one layer of a pipeline (e.g. <c>rewriter.GetService&lt;ListLimitPromptRewriter&gt;()</c>),
    /// as <c>IChatClient.GetService</c> does in Microsoft.Extensions.AI. The usual implementation returns the rewriter
    /// itself when <paramref name="serviceKey"/> is <see langword="null"/> and it is an instance of
    /// <paramref name="serviceType"/>, and otherwise asks the rewriter it wraps.
    /// </remarks>
    object? GetService(Type serviceType, object? serviceKey = null);
}
