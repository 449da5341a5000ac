using PromptKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="IPromptRewriter"/> pipeline with PromptKit's services.</summary>
public static class PromptRewriterServiceCollectionExtensions
{
    /// <summary>Registers an <see cref="IPromptRewriter"/> pipeline whose inner rewriter returns the prompt unchanged; add layers with <c>Use</c> on the returned builder.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="lifetime">The lifetime of the pipeline. The default is <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The builder of the pipeline; layers added to it before the service is first resolved are part of the pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is not a defined value.</exception>
    public static PromptRewriterBuilder AddPromptRewriter(this IPromptKitBuilder builder, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        AddPromptRewriter(builder, static _ => IdentityPromptRewriter.Instance, lifetime);

    /// <summary>Registers an <see cref="IPromptRewriter"/> pipeline around <paramref name="innerRewriter"/>; add layers with <c>Use</c> on the returned builder.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="innerRewriter">The innermost rewriter. The container disposes it with the pipeline.</param>
    /// <param name="lifetime">The lifetime of the pipeline. The default is <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The builder of the pipeline; layers added to it before the service is first resolved are part of the pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="innerRewriter"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is not a defined value.</exception>
    public static PromptRewriterBuilder AddPromptRewriter(this IPromptKitBuilder builder, IPromptRewriter innerRewriter, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(innerRewriter);
        return AddPromptRewriter(builder, _ => innerRewriter, lifetime);
    }

    /// <summary>Registers an <see cref="IPromptRewriter"/> pipeline around the rewriter that <paramref name="innerRewriterFactory"/> creates; add layers with <c>Use</c> on the returned builder.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="innerRewriterFactory">Creates the innermost rewriter from the container's services.</param>
    /// <param name="lifetime">The lifetime of the pipeline. The default is <see cref="ServiceLifetime.Singleton"/>.</param>
    /// <returns>The builder of the pipeline; layers added to it before the service is first resolved are part of the pipeline.</returns>
    /// <remarks>
    /// <para>This mirrors <c>AddChatClient</c> of Microsoft.Extensions.AI: the pipeline is registered as
    /// <see cref="IPromptRewriter"/> (a later registration wins, as usual), and the container builds it with
    /// <see cref="PromptRewriterBuilder.Build"/>, passing its services to every factory.</para>
    /// <code>
    /// services.AddPromptKit()
    ///     .AddPromptRewriter(sp => sp.GetRequiredService&lt;MyTrainedRewriter&gt;())
    ///     .UseComponentFilter(PromptComponentKind.Summary);
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="innerRewriterFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is not a defined value.</exception>
    public static PromptRewriterBuilder AddPromptRewriter(
        this IPromptKitBuilder builder, Func<IServiceProvider, IPromptRewriter> innerRewriterFactory, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(innerRewriterFactory);
        if (lifetime is not (ServiceLifetime.Singleton or ServiceLifetime.Scoped or ServiceLifetime.Transient))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"Lifetime {(int)lifetime} is not a defined {nameof(ServiceLifetime)} value.");
        }

        var rewriterBuilder = new PromptRewriterBuilder(innerRewriterFactory);
        builder.Services.Add(new ServiceDescriptor(typeof(IPromptRewriter), sp => rewriterBuilder.Build(sp), lifetime));
        return rewriterBuilder;
    }
}
