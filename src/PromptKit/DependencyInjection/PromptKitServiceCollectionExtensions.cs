using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PromptKit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds PromptKit to an <see cref="IServiceCollection"/>.</summary>
public static class PromptKitServiceCollectionExtensions
{
    /// <summary>The service key of the keyed <see cref="IDistributedCache"/> that the evaluator registered by <see cref="AddPromptKit"/> caches responses in.</summary>
    /// <remarks><see cref="AddPromptKit"/> registers an in-memory cache of <see cref="PromptEvaluatorOptions.MaxCacheEntries"/> entries under this key unless one is registered already; <see cref="UseDistributedResponseCache"/> replaces it with the registered <see cref="IDistributedCache"/>.</remarks>
    public const string ResponseCacheServiceKey = "PromptKit.ResponseCache";

    /// <summary>Adds PromptKit's core services: a singleton <see cref="PromptEvaluator"/> over the registered <see cref="IChatClient"/>, with validated options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureEvaluator">Configures the evaluator's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>A builder for further PromptKit services.</returns>
    /// <remarks>
    /// <para>Register the frozen model first, e.g. with <c>services.AddChatClient(...)</c> from Microsoft.Extensions.AI.
    /// The options are validated when the host starts (and when first resolved), with every failure listed in one
    /// <see cref="OptionsValidationException"/>, the same rules that the <see cref="PromptEvaluator"/> constructor applies.
    /// The evaluator's chat pipeline resolves services (e.g. an <see cref="ILoggerFactory"/> for <c>UseLogging()</c>) from
    /// the container.</para>
    /// <para>Defaults are added with <c>TryAdd</c>, so services registered earlier (a <see cref="TimeProvider"/>, a keyed
    /// <see cref="IDistributedCache"/> under <see cref="ResponseCacheServiceKey"/>) win. Calling this method twice adds nothing twice.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder AddPromptKit(this IServiceCollection services, Action<PromptEvaluatorOptions>? configureEvaluator = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PromptEvaluatorOptions> options = services.AddOptionsWithValidateOnStart<PromptEvaluatorOptions, PromptEvaluatorOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PromptEvaluatorOptions>, PromptEvaluatorOptionsCustomValidator>());
        if (configureEvaluator is not null)
        {
            options.Configure(configureEvaluator);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<IDistributedCache>(ResponseCacheServiceKey, static (sp, _) =>
            new BoundedMemoryDistributedCache(sp.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value.MaxCacheEntries));
        services.TryAddSingleton(static sp => new PromptEvaluator(
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<IOptions<PromptEvaluatorOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<PromptEvaluator>>(),
            sp.GetRequiredKeyedService<IDistributedCache>(ResponseCacheServiceKey),
            sp.GetService<IMeterFactory>(),
            sp));
        return new PromptKitBuilder(services);
    }

    /// <summary>Makes the evaluator cache responses in the registered <see cref="IDistributedCache"/> (e.g. Redis), so that caches are shared between processes.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="entryOptions">Expiration of cache entries, or <see langword="null"/> to keep <see cref="PromptEvaluatorOptions.CacheEntryOptions"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Register an <see cref="IDistributedCache"/> too (e.g. <c>AddStackExchangeRedisCache</c>). This replaces the in-memory default registered under <see cref="ResponseCacheServiceKey"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder UseDistributedResponseCache(this IPromptKitBuilder builder, DistributedCacheEntryOptions? entryOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAllKeyed<IDistributedCache>(ResponseCacheServiceKey);
        builder.Services.AddKeyedSingleton<IDistributedCache>(ResponseCacheServiceKey, static (sp, _) => sp.GetRequiredService<IDistributedCache>());
        if (entryOptions is not null)
        {
            builder.Services.Configure<PromptEvaluatorOptions>(o => o.CacheEntryOptions = entryOptions);
        }

        return builder;
    }

    /// <summary>Adds middleware to the chat pipeline of the evaluator registered by <see cref="AddPromptKit"/>, e.g. <c>b =&gt; b.UseOpenTelemetry().UseLogging()</c>.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Adds middleware to the pipeline; factories passed to <see cref="ChatClientBuilder.Use(Func{IChatClient, IServiceProvider, IChatClient})"/> get the container.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calls add up in order; see <see cref="PromptEvaluatorOptions.ConfigurePipeline"/> for where the middleware sits.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder ConfigureChatPipeline(this IPromptKitBuilder builder, Action<ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<PromptEvaluatorOptions>(o => o.ConfigurePipeline += configure);
        return builder;
    }

    /// <summary>Adds a singleton <see cref="PromptScorer{TTarget}"/> that rewards outputs with the reward the factory creates.</summary>
    /// <typeparam name="TTarget">The reward's target type.</typeparam>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="rewardFactory">Creates the reward.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="rewardFactory"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder AddPromptScorer<TTarget>(this IPromptKitBuilder builder, Func<IServiceProvider, IReward<TTarget>> rewardFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rewardFactory);
        builder.Services.TryAddSingleton(sp => new PromptScorer<TTarget>(
            sp.GetRequiredService<PromptEvaluator>(),
            rewardFactory(sp) ?? throw new InvalidOperationException($"The reward factory passed to {nameof(AddPromptScorer)} returned null. Return an {nameof(IReward<TTarget>)} instance.")));
        return builder;
    }

    private sealed class PromptKitBuilder(IServiceCollection services) : IPromptKitBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
