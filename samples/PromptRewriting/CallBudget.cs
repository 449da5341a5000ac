using Microsoft.Extensions.AI;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>Counts frozen-model calls over the whole run and cancels the run when a hard cap is reached.</summary>
internal sealed class CallBudget(int? maxCalls, CancellationTokenSource cancellation)
{
    private long _calls;
    private int _spent;

    public long Calls => Interlocked.Read(ref _calls);

    public bool IsSpent => Volatile.Read(ref _spent) == 1;

    /// <summary>Takes one call from the budget; throws (and cancels the run) when none is left.</summary>
    public void Take()
    {
        long calls = Interlocked.Increment(ref _calls);
        if (maxCalls is int cap && calls > cap)
        {
            Interlocked.Exchange(ref _spent, 1);
            cancellation.Cancel();
            throw new OperationCanceledException($"The budget of {cap} frozen-model calls is spent.", cancellation.Token);
        }
    }
}

/// <summary>Counts the calls that reach the model (below the response cache) against a <see cref="CallBudget"/>.</summary>
internal sealed class CallCountingChatClient(IChatClient inner, CallBudget budget) : DelegatingChatClient(inner)
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        budget.Take();
        Interlocked.Increment(ref _calls);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        budget.Take();
        Interlocked.Increment(ref _calls);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
