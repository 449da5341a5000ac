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

    /// <summary>Adds PromptKit's retry, circuit-breaker and timeout policy, the one <see cref="PromptEvaluator"/> uses, as the next stage in the pipeline.</summary>
    /// <param name="builder">The <see cref="ChatClientBuilder"/>.</param>
    /// <param name="options">The retry, circuit-breaker and timeout settings (<see cref="PromptEvaluatorOptions.MaxRetryAttempts"/>, <see cref="PromptEvaluatorOptions.RetryBaseDelay"/>, <see cref="PromptEvaluatorOptions.MaxRetryDelay"/>, <see cref="PromptEvaluatorOptions.RetryAfter"/>, <see cref="PromptEvaluatorOptions.Timeout"/>, <see cref="PromptEvaluatorOptions.IsTransient"/>, <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/>, <see cref="PromptEvaluatorOptions.CircuitBreakerWindow"/>, <see cref="PromptEvaluatorOptions.CircuitBreakerMinimumCalls"/>, and <see cref="PromptEvaluatorOptions.MaxConcurrency"/> for the breaker's window); <see langword="null"/> uses the defaults. They are validated at once; the other settings are ignored (this stage limits no concurrency, caches nothing and spends no budget).</param>
    /// <param name="timeProvider">The time source of timeouts, retry delays and the breaker's window; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <remarks>
    /// <para>
    /// Each attempt is limited to <see cref="PromptEvaluatorOptions.Timeout"/>. A fault is retried, with exponential
    /// backoff and jitter, when it is an <see cref="HttpRequestException"/>, an <see cref="IOException"/>, a
    /// <see cref="Polly.Timeout.TimeoutRejectedException"/>, an <see cref="OperationCanceledException"/> that the caller's
    /// token did not cause, or an exception <see cref="PromptEvaluatorOptions.IsTransient"/> accepts.
    /// </para>
    /// <para>
    /// Unless <see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/> is <see langword="null"/>, a circuit breaker
    /// sits between the retries and the timeout, with the rules described on that property: once it opens, a call and
    /// every retry in flight throw <see cref="ModelUnavailableException"/> (an <see cref="OperationCanceledException"/>,
    /// which the trainers treat as a clean stop) instead of calling the model. This method builds one pipeline, so every
    /// client the builder makes shares one breaker state: failures seen by one open the circuit for all of them.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    public static ChatClientBuilder UsePromptKitResilience(this ChatClientBuilder builder, PromptEvaluatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new PromptEvaluatorOptions();
        PromptEvaluatorOptionsCustomValidator.ThrowIfInvalid(options);

        var breaker = new CircuitBreakerReport(options);
        ResiliencePipeline pipeline = PromptKitResilience.Create(options, timeProvider ?? TimeProvider.System, onBreak: breaker.Opened);
        return builder.Use(innerClient => new ResilientChatClient(innerClient, pipeline, breaker));
    }
}
