using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PromptKit;

/// <summary>Adds a <see cref="PromptResponseCachingChatClient"/> to an <see cref="IChatClient"/> pipeline.</summary>
public static class PromptResponseCachingChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="PromptResponseCachingChatClient"/> as the next stage in the pipeline.</summary>
    /// <param name="builder">The <see cref="ChatClientBuilder"/>.</param>
    /// <param name="storage">The cache that stores the responses; <see langword="null"/> resolves an <see cref="IDistributedCache"/> from the service provider.</param>
    /// <param name="configure">Configures the client (partition, what is cached, entry expiration), or <see langword="null"/>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <remarks>Cache faults are logged through the <see cref="ILoggerFactory"/> of the service provider, when it has one.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UsePromptResponseCache(this ChatClientBuilder builder, IDistributedCache? storage = null, Action<PromptResponseCachingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return builder.Use((innerClient, services) =>
        {
            var client = new PromptResponseCachingChatClient(
                innerClient,
                storage ?? services.GetRequiredService<IDistributedCache>(),
                services.GetService<ILoggerFactory>()?.CreateLogger<PromptResponseCachingChatClient>());
            configure?.Invoke(client);
            return client;
        });
    }
}
