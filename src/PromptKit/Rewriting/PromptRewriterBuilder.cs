namespace PromptKit;

/// <summary>Builds a pipeline of <see cref="IPromptRewriter"/> layers around an inner rewriter.</summary>
/// <remarks>
/// <para>The first <c>Use</c> call adds the outermost layer: <see cref="Build"/> applies the factories in reverse, as
/// <c>ChatClientBuilder</c> does in Microsoft.Extensions.AI. The layers PromptKit ships edit the prompt and then pass
/// it on, so they run in the order of the <c>Use</c> calls, and the inner rewriter runs last.</para>
/// <para>The builder is not thread-safe; the pipeline it builds is.</para>
/// <code>
/// IPromptRewriter rewriter = new PromptRewriterBuilder()
///     .UseComponentFilter(PromptComponentKind.Summary)
///     .UseListLimit(5, ListItemRetention.Last, PromptComponentKind.HistoryRecords)
///     .Build();
/// Prompt rewritten = await rewriter.RewriteAsync(prompt);
/// </code>
/// </remarks>
public sealed class PromptRewriterBuilder
{
    private readonly Func<IServiceProvider, IPromptRewriter> _innerRewriterFactory;
    private readonly List<Func<IPromptRewriter, IServiceProvider, IPromptRewriter>> _rewriterFactories = [];

    /// <summary>Initializes a new instance of the <see cref="PromptRewriterBuilder"/> class whose inner rewriter returns the prompt unchanged.</summary>
    public PromptRewriterBuilder()
        : this(IdentityPromptRewriter.Instance)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptRewriterBuilder"/> class around an inner rewriter.</summary>
    /// <param name="innerRewriter">The innermost rewriter, e.g. a trained model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriter"/> is <see langword="null"/>.</exception>
    public PromptRewriterBuilder(IPromptRewriter innerRewriter)
    {
        ArgumentNullException.ThrowIfNull(innerRewriter);
        _innerRewriterFactory = _ => innerRewriter;
    }

    /// <summary>Initializes a new instance of the <see cref="PromptRewriterBuilder"/> class around an inner rewriter created when the pipeline is built.</summary>
    /// <param name="innerRewriterFactory">Creates the innermost rewriter from the services passed to <see cref="Build"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriterFactory"/> is <see langword="null"/>.</exception>
    public PromptRewriterBuilder(Func<IServiceProvider, IPromptRewriter> innerRewriterFactory)
    {
        ArgumentNullException.ThrowIfNull(innerRewriterFactory);
        _innerRewriterFactory = innerRewriterFactory;
    }

    /// <summary>Adds a layer to the pipeline.</summary>
    /// <param name="rewriterFactory">Wraps the rewriter built so far (the next one inward) in a new layer, usually a <see cref="DelegatingPromptRewriter"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rewriterFactory"/> is <see langword="null"/>.</exception>
    public PromptRewriterBuilder Use(Func<IPromptRewriter, IPromptRewriter> rewriterFactory)
    {
        ArgumentNullException.ThrowIfNull(rewriterFactory);
        _rewriterFactories.Add((inner, _) => rewriterFactory(inner));
        return this;
    }

    /// <summary>Adds a layer that needs services to the pipeline.</summary>
    /// <param name="rewriterFactory">Wraps the rewriter built so far in a new layer, given the services passed to <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rewriterFactory"/> is <see langword="null"/>.</exception>
    public PromptRewriterBuilder Use(Func<IPromptRewriter, IServiceProvider, IPromptRewriter> rewriterFactory)
    {
        ArgumentNullException.ThrowIfNull(rewriterFactory);
        _rewriterFactories.Add(rewriterFactory);
        return this;
    }

    /// <summary>Adds a layer written as one delegate to the pipeline.</summary>
    /// <param name="rewriteFunc">
    /// Rewrites a prompt, given the prompt, the context, the next rewriter inward and the cancellation token. It may edit
    /// the prompt before calling the next rewriter, edit its result, or not call it at all; it must return a prompt.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rewriteFunc"/> is <see langword="null"/>.</exception>
    /// <remarks>The layer throws <see cref="InvalidOperationException"/> when <paramref name="rewriteFunc"/> returns <see langword="null"/>.</remarks>
    public PromptRewriterBuilder Use(Func<Prompt, PromptRewriteContext?, IPromptRewriter, CancellationToken, ValueTask<Prompt>> rewriteFunc)
    {
        ArgumentNullException.ThrowIfNull(rewriteFunc);
        return Use(inner => new AnonymousDelegatingPromptRewriter(inner, rewriteFunc));
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="services">The services that factories receive, or <see langword="null"/> for none.</param>
    /// <returns>The outermost rewriter. Disposing it disposes every layer and the inner rewriter.</returns>
    /// <exception cref="InvalidOperationException">The inner rewriter factory or a <c>Use</c> factory returned <see langword="null"/>.</exception>
    public IPromptRewriter Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        IPromptRewriter rewriter = _innerRewriterFactory(services) ?? throw new InvalidOperationException(
            $"The inner rewriter factory passed to the {nameof(PromptRewriterBuilder)} constructor returned null. Ensure that it returns a non-null {nameof(IPromptRewriter)} instance.");

        // Apply the factories in reverse, so that the first one added is the outermost layer.
        for (int i = _rewriterFactories.Count - 1; i >= 0; i--)
        {
            rewriter = _rewriterFactories[i](rewriter, services) ?? throw new InvalidOperationException(
                $"The {nameof(PromptRewriterBuilder)} entry at index {i} returned null. Ensure that the callbacks passed to {nameof(Use)} return non-null {nameof(IPromptRewriter)} instances.");
        }

        return rewriter;
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static EmptyServiceProvider Instance { get; } = new();

        public object? GetService(Type serviceType) => null;
    }
}
