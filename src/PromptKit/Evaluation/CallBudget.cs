using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PromptKit;

/// <summary>
/// A hard budget of frozen-model calls (and of tokens, where the provider reports usage) shared by every
/// <see cref="PromptEvaluator"/> it is given to (<see cref="PromptEvaluatorOptions.Budget"/>): once it is spent, no
/// further call reaches the model and the request that asked throws <see cref="CallBudgetExceededException"/>.
/// </summary>
/// <remarks>
/// <para>
/// A call is counted when it is about to reach the model, below the response cache and on every attempt: a cache hit
/// costs nothing and a retry costs one call. The call that would exceed <see cref="MaxCalls"/> is refused, so at most
/// <see cref="MaxCalls"/> calls are made. Tokens are known only after a call returns: the budget is spent by the call
/// that brings <see cref="Tokens"/> to <see cref="MaxTokens"/> or above, and the calls after it are refused (calls
/// already in flight finish, so the token total can pass the limit by what they spend).
/// </para>
/// <para>
/// When the budget is spent, <see cref="Token"/> is cancelled, so that a caller can stop work that makes no call.
/// Exceptions thrown by callbacks registered on <see cref="Token"/> are swallowed (they run on the model-call path).
/// PromptKit.Training's on-policy trainers (PPO, actor-critic, and the RPP and rewriting RL stages on them) treat
/// <see cref="CallBudgetExceededException"/> as a cancellation: they write their checkpoint with the last finished
/// iteration and rethrow it. Other stages (e.g. the rewriter's supervised labelling) keep nothing but what a persistent
/// response cache kept. The instance is thread-safe.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The CancellationTokenSource is never linked and has no timer: it holds no resources.")]
public sealed class CallBudget
{
    // Never linked and never given a timer, so it holds no resources and needs no disposal.
    private readonly CancellationTokenSource _spent = new();
    private long _calls;
    private long _tokens;
    private long _refused;
    private string? _reason;

    /// <summary>Initializes a new instance of the <see cref="CallBudget"/> class.</summary>
    /// <param name="maxCalls">The most model calls, or <see langword="null"/> for no limit on calls.</param>
    /// <param name="maxTokens">The most tokens (the providers' total token counts), or <see langword="null"/> for no limit on tokens.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> or <paramref name="maxTokens"/> is zero or negative.</exception>
    public CallBudget(long? maxCalls = null, long? maxTokens = null)
    {
        if (maxCalls is long calls)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls, nameof(maxCalls));
        }

        if (maxTokens is long tokens)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens, nameof(maxTokens));
        }

        MaxCalls = maxCalls;
        MaxTokens = maxTokens;
    }

    /// <summary>Gets the most model calls, or <see langword="null"/> for no limit.</summary>
    public long? MaxCalls { get; }

    /// <summary>Gets the most tokens, or <see langword="null"/> for no limit.</summary>
    public long? MaxTokens { get; }

    /// <summary>Gets the number of model calls made under the budget.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Gets the total tokens that the model reported for those calls (0 when it reports no usage).</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>Gets the number of calls refused because the budget was spent.</summary>
    public long RefusedCalls => Interlocked.Read(ref _refused);

    /// <summary>Gets a value indicating whether the budget is spent: the next call is refused.</summary>
    public bool IsSpent => Volatile.Read(ref _reason) is not null;

    /// <summary>Gets a token that is cancelled when the budget is spent.</summary>
    public CancellationToken Token => _spent.Token;

    /// <summary>Gets why the budget is spent, e.g. "the budget of 20,000 model calls is spent", or <see langword="null"/> while it is not.</summary>
    public string? SpentReason => Volatile.Read(ref _reason);

    /// <summary>Takes one call from the budget.</summary>
    /// <exception cref="CallBudgetExceededException">The budget is spent; the call must not be made.</exception>
    internal void TakeCall()
    {
        if (!IsSpent)
        {
            long calls = Interlocked.Increment(ref _calls);
            if (MaxCalls is not long max || calls <= max)
            {
                return;
            }

            Interlocked.Decrement(ref _calls);
            Spend(string.Create(CultureInfo.InvariantCulture, $"the budget of {max:N0} model calls is spent"));
        }

        Interlocked.Increment(ref _refused);
        throw new CallBudgetExceededException(this);
    }

    /// <summary>Adds the tokens a call spent, and spends the budget when they reach <see cref="MaxTokens"/>.</summary>
    /// <param name="tokens">The call's total token count.</param>
    internal void AddTokens(long tokens)
    {
        if (tokens <= 0)
        {
            return;
        }

        long total = Interlocked.Add(ref _tokens, tokens);
        if (MaxTokens is long max && total >= max)
        {
            Spend(string.Create(CultureInfo.InvariantCulture, $"the budget of {max:N0} tokens is spent ({total:N0} used)"));
        }
    }

    private void Spend(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null)
        {
            try
            {
                _spent.Cancel();
            }
            catch (AggregateException)
            {
                // A callback registered on Token threw. It ran on the model-call path; its failure must not turn a paid
                // answer (or a refusal) into a failed evaluation. The other callbacks have run.
            }
        }
    }
}
