using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly;

namespace PromptKit;

/// <summary>Adds a <see cref="ResilientChatClient"/> to an <see cref="IChatClient"/> pipeline.</summary>
public static class ResilientChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="ResilientChatClient"/> that runs each call through <paramref name="pipeline"/> as the next stage in the pipeline.</summary>
    /// <param name="builder">The <see cref="ChatClientBuilder"/>.</param>
    /// <param name="pipeline">The resilience pipeline (retries, timeouts, circuit breakers).</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseResilience(this ChatClientBuilder builder, ResiliencePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pipeline);

        return builder.Use(innerClient => new ResilientChatClient(innerClient, pipeline));
    }

    /// <summary>Adds PromptKit's retry and timeout policy, the one <see cref="PromptEvaluator"/> uses, as the next stage in the pipeline.</summary>
    /// <param name="builder">The <see cref="ChatClientBuilder"/>.</param>
    /// <param name="options">The retry and timeout settings (<see cref="PromptEvaluatorOptions.MaxRetryAttempts"/>, <see cref="PromptEvaluatorOptions.RetryBaseDelay"/>, <see cref="PromptEvaluatorOptions.MaxRetryDelay"/>, <see cref="PromptEvaluatorOptions.Timeout"/>, <see cref="PromptEvaluatorOptions.IsTransient"/>); <see langword="null"/> uses the defaults. They are validated at once; the other settings are ignored.</param>
    /// <param name="timeProvider">The time source of timeouts and retry delays; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <remarks>
    /// Each attempt is limited to <see cref="PromptEvaluatorOptions.Timeout"/>. A fault is retried, with exponential
    /// backoff and jitter, when it is an <see cref="HttpRequestException"/>, an <see cref="IOException"/>, a
    /// <see cref="Polly.Timeout.TimeoutRejectedException"/>, an <see cref="OperationCanceledException"/> that the caller's
    /// token did not cause, or an exception <see cref="PromptEvaluatorOptions.IsTransient"/> accepts.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    public static ChatClientBuilder UsePromptKitResilience(this ChatClientBuilder builder, PromptEvaluatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new PromptEvaluatorOptions();
        PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(options);

        return builder.UseResilience(PromptKitResilience.Create(options, timeProvider ?? TimeProvider.System));
    }
}
