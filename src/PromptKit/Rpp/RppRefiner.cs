using System.Collections.Concurrent;

namespace PromptKit;

/// <summary>RPP+'s refinement step: during the episode, an LLM rewrites each sentence the agents chose for this user's
/// context (the history lines the prompt will show), and the accepted rewrites go into the prompt.</summary>
/// <remarks>
/// <para>Requests are <see cref="RppRefinement.CreateRequest(RppPattern, string, IReadOnlyList{string})"/>; answers go
/// through <see cref="RppRefinement.ParseResponse"/>, then <see cref="RppRefinement.GetRejectionReason"/>. Each
/// (pattern, sentence, context) is refined once: the result is cached, and concurrent requests for the same key share
/// one call. What keeps the original sentence, counted apart:</para>
/// <list type="bullet">
/// <item><description>a failed call or an answer with no usable sentence (<see cref="Failures"/>; not cached, so a later
/// call may succeed);</description></item>
/// <item><description>a refinement that is empty, a refusal or an error message, outside the length bounds or off-intent
/// (<see cref="Rejections"/>; cached: asking again would cost a call for the same answer);</description></item>
/// <item><description>a key not yet refined once <see cref="MaxCalls"/> calls have been made (<see cref="BudgetSkips"/>).</description></item>
/// </list>
/// <para>Empty sentences (the "no role" action) are never sent. Thread-safe.</para>
/// </remarks>
public sealed class RppRefiner
{
    private static readonly RppPattern[] Patterns = [RppPattern.RolePlaying, RppPattern.HistoryRecords, RppPattern.ReasoningGuidance, RppPattern.OutputFormat];
    private readonly PromptEvaluator _evaluator;
    private readonly RppActionSpaces _spaces;
    private readonly ConcurrentDictionary<(RppPattern, string, string), Lazy<Task<Outcome>>> _cache = new();
    private long _calls;
    private long _hits;
    private long _failures;
    private long _rejections;
    private long _budgetSkips;

    /// <summary>Initializes a new instance of the <see cref="RppRefiner"/> class.</summary>
    /// <param name="evaluator">Sends the refinement requests to the refining LLM.</param>
    /// <param name="spaces">The action spaces the selections index.</param>
    /// <param name="maxCalls">The most refinement calls to make; after that, sentences not yet refined keep their
    /// original text. The default is <see cref="long.MaxValue"/> (no cap).</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluator"/> or <paramref name="spaces"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> is negative.</exception>
    public RppRefiner(PromptEvaluator evaluator, RppActionSpaces spaces, long maxCalls = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(spaces);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCalls);
        _evaluator = evaluator;
        _spaces = spaces;
        MaxCalls = maxCalls;
    }

    /// <summary>Gets the most refinement calls this refiner makes.</summary>
    public long MaxCalls { get; }

    /// <summary>Gets the number of refinement calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Gets the number of refinements answered from the cache.</summary>
    public long CacheHits => Interlocked.Read(ref _hits);

    /// <summary>Gets the number of refinement calls that failed or gave no usable sentence (the original sentence was kept).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Gets the number of refined sentences rejected by <see cref="RppRefinement.GetRejectionReason"/> (the original sentence was kept).</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>Gets the number of sentences left unrefined because <see cref="MaxCalls"/> was reached.</summary>
    public long BudgetSkips => Interlocked.Read(ref _budgetSkips);

    /// <summary>Returns the selection with each chosen sentence replaced by its accepted refinement for the context.</summary>
    /// <param name="selection">The agents' choices.</param>
    /// <param name="context">The user's history lines as the prompt will show them (<see cref="RppEpisode.GetRefinementContext"/>);
    /// empty when it shows none.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The refined selection (same indices).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The selection does not fit the action spaces, or a context line is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RppSelection> RefineAsync(RppSelection selection, IReadOnlyList<string> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        RppText.ThrowIfBadContext(context, nameof(context));
        selection.Validate(_spaces);

        string contextKey = string.Join('\n', context);
        RppSelection refined = selection;
        foreach (RppPattern pattern in Patterns)
        {
            string sentence = _spaces.GetSentence(pattern, selection[pattern]);
            if (string.IsNullOrWhiteSpace(sentence))
            {
                continue;
            }

            string? text = await RefineSentenceAsync(pattern, sentence, context, contextKey, cancellationToken).ConfigureAwait(false);
            if (text is not null)
            {
                refined = refined.WithRefinedText(pattern, text);
            }
        }

        return refined;
    }

    private async Task<string?> RefineSentenceAsync(RppPattern pattern, string sentence, IReadOnlyList<string> context, string contextKey, CancellationToken cancellationToken)
    {
        var key = (pattern, sentence, contextKey);
        if (!_cache.TryGetValue(key, out Lazy<Task<Outcome>>? entry))
        {
            if (Interlocked.Read(ref _calls) >= MaxCalls)
            {
                Interlocked.Increment(ref _budgetSkips);
                return null;
            }

            string[] lines = [.. context];
            entry = _cache.GetOrAdd(key, k => new Lazy<Task<Outcome>>(() => CallAsync(k.Item1, k.Item2, lines, cancellationToken)));
        }
        else
        {
            Interlocked.Increment(ref _hits);
        }

        Outcome result;
        try
        {
            result = await entry.Value.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _cache.TryRemove(new KeyValuePair<(RppPattern, string, string), Lazy<Task<Outcome>>>(key, entry));
            throw;
        }

        if (result.Failed)
        {
            _cache.TryRemove(new KeyValuePair<(RppPattern, string, string), Lazy<Task<Outcome>>>(key, entry));
        }

        return result.Text;
    }

    private async Task<Outcome> CallAsync(RppPattern pattern, string sentence, IReadOnlyList<string> context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) > MaxCalls)
        {
            Interlocked.Decrement(ref _calls);
            Interlocked.Increment(ref _budgetSkips);
            return new Outcome(null, Failed: true);
        }

        PromptEvaluation evaluation = await _evaluator.EvaluateAsync(RppRefinement.CreateRequest(pattern, sentence, context), cancellationToken: cancellationToken).ConfigureAwait(false);
        string? refined = evaluation.IsSuccess && evaluation.Text is string text ? RppRefinement.ParseResponse(text) : null;
        if (refined is null)
        {
            Interlocked.Increment(ref _failures);
            return new Outcome(null, Failed: true);
        }

        if (RppRefinement.GetRejectionReason(sentence, refined) is not null)
        {
            Interlocked.Increment(ref _rejections);
            return new Outcome(null, Failed: false);
        }

        return new Outcome(refined, Failed: false);
    }

    private readonly record struct Outcome(string? Text, bool Failed);
}
