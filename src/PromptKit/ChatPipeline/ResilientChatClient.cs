using Microsoft.Extensions.AI;
using Polly;
using Polly.CircuitBreaker;

namespace PromptKit;

/// <summary>A delegating chat client that runs each <see cref="IChatClient.GetResponseAsync"/> call through a Polly <see cref="ResiliencePipeline"/> (retries, timeouts, circuit breakers).</summary>
/// <remarks>
/// <para>
/// Each attempt calls the inner client with the pipeline's <see cref="CancellationToken"/>, which a timeout strategy
/// cancels; the caller's token cancels every attempt and the delays between them. Whatever the pipeline leaves (the
/// response, or the last exception, e.g. a <see cref="Polly.Timeout.TimeoutRejectedException"/>) is returned or thrown.
/// </para>
/// <para>
/// Streaming calls pass through without the pipeline: updates already yielded cannot be taken back, so a stream cannot
/// be retried transparently. The client is thread-safe; the pipeline is shared by all calls.
/// </para>
/// </remarks>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerReport? _breaker;

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class.</summary>
    /// <param name="innerClient">The client each attempt calls.</param>
    /// <param name="pipeline">The resilience pipeline that runs each call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="pipeline"/> is <see langword="null"/>.</exception>
    public ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline)
        : base(innerClient ?? throw new ArgumentNullException(nameof(innerClient)))
    {
        ArgumentNullException.ThrowIfNull(pipeline);

        _pipeline = pipeline;
    }

    /// <summary>Initializes a new instance of the <see cref="ResilientChatClient"/> class that throws
    /// <see cref="ModelUnavailableException"/> for a call PromptKit's open circuit refused.</summary>
    /// <param name="innerClient">The client each attempt calls.</param>
    /// <param name="pipeline">The resilience pipeline that runs each call.</param>
    /// <param name="breaker">The state of the pipeline's circuit breaker.</param>
    internal ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline, CircuitBreakerReport breaker)
        : this(innerClient, pipeline)
    {
        _breaker = breaker;
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Client.CallInnerAsync(state.Messages, state.Options, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Client: this, Messages: messages, Options: options)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException exception) when (_breaker is not null)
        {
            throw _breaker.Unavailable(exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<ChatResponse> CallInnerAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);
}
