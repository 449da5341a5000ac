namespace PromptKit;

/// <summary>Extension methods for <see cref="IPromptRewriter"/>.</summary>
public static class PromptRewriterExtensions
{
    /// <summary>Creates a <see cref="PromptRewriterBuilder"/> whose inner rewriter is <paramref name="innerRewriter"/>.</summary>
    /// <param name="innerRewriter">The rewriter to wrap in further layers.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="innerRewriter"/> is <see langword="null"/>.</exception>
    public static PromptRewriterBuilder AsBuilder(this IPromptRewriter innerRewriter)
    {
        ArgumentNullException.ThrowIfNull(innerRewriter);
        return new PromptRewriterBuilder(innerRewriter);
    }

    /// <summary>Asks the rewriter, or a rewriter it wraps, for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object being requested, e.g. one layer's type.</typeparam>
    /// <param name="rewriter">The rewriter.</param>
    /// <param name="serviceKey">An optional key to help identify the object, or <see langword="null"/>.</param>
    /// <returns>The object, or <see langword="null"/> when the pipeline has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rewriter"/> is <see langword="null"/>.</exception>
    public static TService? GetService<TService>(this IPromptRewriter rewriter, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(rewriter);
        return rewriter.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
