using System.Collections.Concurrent;

namespace PromptKit;

/// <summary>RPP+'s refinement step: an LLM rewrites each chosen sentence (one call per pattern and sentence, cached),
/// and the refined sentences go into the prompt.</summary>
/// <remarks>
/// <para>Requests are <see cref="RppRefinement.CreateRequest"/>; answers go through <see cref="RppRefinement.ParseResponse"/>.
/// A failed call or an unusable answer keeps the original sentence (counted in <see cref="Failures"/>) and is not cached,
/// so a later call may succeed. Empty sentences (the "no role" action) are never sent. Each distinct sentence is
/// refined once: concurrent requests for the same sentence share one call.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class RppRefiner
{
    private static readonly RppPattern[] Patterns = [RppPattern.RolePlaying, RppPattern.HistoryRecords, RppPattern.ReasoningGuidance, RppPattern.OutputFormat];
    private readonly PromptEvaluator _evaluator;
    private readonly RppActionSpaces _spaces;
    private readonly ConcurrentDictionary<(RppPattern, string), Lazy<Task<string?>>> _cache = new();
    private long _calls;
    private long _hits;
    private long _failures;

    /// <summary>Initializes a new instance of the <see cref="RppRefiner"/> class.</summary>
    /// <param name="evaluator">Sends the refinement requests to the refining LLM.</param>
    /// <param name="spaces">The action spaces the selections index.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RppRefiner(PromptEvaluator evaluator, RppActionSpaces spaces)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(spaces);
        _evaluator = evaluator;
        _spaces = spaces;
    }

    /// <summary>Gets the number of refinement calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Gets the number of refinements answered from the cache.</summary>
    public long CacheHits => Interlocked.Read(ref _hits);

    /// <summary>Gets the number of refinements that failed or gave an unusable answer (the original sentence was kept).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Returns the selection with each chosen sentence replaced by its refined version.</summary>
    /// <param name="selection">The agents' choices.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The refined selection (same indices).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The selection does not fit the action spaces.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RppSelection> RefineAsync(RppSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        selection.Validate(_spaces);
        RppSelection refined = selection;
        foreach (RppPattern pattern in Patterns)
        {
            string sentence = _spaces.GetSentence(pattern, selection[pattern]);
            if (string.IsNullOrWhiteSpace(sentence))
            {
                continue;
            }

            string? text = await RefineSentenceAsync(pattern, sentence, cancellationToken).ConfigureAwait(false);
            if (text is not null)
            {
                refined = refined.WithRefinedText(pattern, text);
            }
        }

        return refined;
    }

    private async Task<string?> RefineSentenceAsync(RppPattern pattern, string sentence, CancellationToken cancellationToken)
    {
        var key = (pattern, sentence);
        bool created = false;
        Lazy<Task<string?>> entry = _cache.GetOrAdd(key, k =>
        {
            created = true;
            return new Lazy<Task<string?>>(() => CallAsync(k.Item1, k.Item2, cancellationToken));
        });
        if (!created)
        {
            Interlocked.Increment(ref _hits);
        }

        string? result;
        try
        {
            result = await entry.Value.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _cache.TryRemove(new KeyValuePair<(RppPattern, string), Lazy<Task<string?>>>(key, entry));
            throw;
        }

        if (result is null)
        {
            _cache.TryRemove(new KeyValuePair<(RppPattern, string), Lazy<Task<string?>>>(key, entry));
        }

        return result;
    }

    private async Task<string?> CallAsync(RppPattern pattern, string sentence, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        PromptEvaluation evaluation = await _evaluator.EvaluateAsync(RppRefinement.CreateRequest(pattern, sentence), cancellationToken: cancellationToken).ConfigureAwait(false);
        string? refined = evaluation.IsSuccess && evaluation.Text is string text ? RppRefinement.ParseResponse(text) : null;
        if (refined is null)
        {
            Interlocked.Increment(ref _failures);
        }

        return refined;
    }
}
