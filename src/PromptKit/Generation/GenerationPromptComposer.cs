using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>
/// Composes the original prompt of the prompt-rewriting method for personalized text generation (Li et al. 2023,
/// "Learning to Rewrite Prompts for Personalized Text Generation", arXiv:2310.00152): the prompt a frozen LLM gets to
/// write a user's next document, and that a rewriter may then improve.
/// </summary>
/// <remarks>
/// <para>The prompt's components, in order (built with <see cref="PromptBuilder"/>; user data is always delimited):</para>
/// <list type="number">
/// <item><description><c>instruction</c> (system, fixed): <see cref="GenerationPromptComposerOptions.Instruction"/>.</description></item>
/// <item><description><c>query</c> (user data, fixed): the context, e.g. the title of the new document.</description></item>
/// <item><description><c>retrieved</c> (user data, fixed): up to <see cref="GenerationPromptComposerOptions.RetrievedCount"/>
/// past documents that the <see cref="IDocumentRetriever"/> ranks highest for the context, each <c>"Title. Text"</c>; empty
/// (and not rendered) when none matches.</description></item>
/// <item><description><c>summary</c> (user data, editable): the <see cref="IUserSummarizer"/>'s summary of all the
/// user's past documents.</description></item>
/// <item><description><c>synthesis</c> (user data, editable, a list): up to
/// <see cref="GenerationPromptComposerOptions.KeywordCount"/> keywords from the <see cref="KeywordExtractor"/>, one item
/// each, then the <see cref="WritingStyle"/> line as the last item. Keywords come from the retrieved documents (titles
/// and texts), or from all the past documents when nothing was retrieved.</description></item>
/// </list>
/// <para>Summary cache: the summary is computed once per user id, from the past documents of the first call that
/// succeeds, and kept for the life of the composer (one entry per user). Concurrent calls for one user share one
/// summarizer call, which runs under the first caller's <see cref="CancellationToken"/>; if that caller cancels, the
/// others start a new one. A failed or canceled summary is not kept: the next call tries again.</para>
/// <para>Instances are thread-safe when the retriever and summarizer are.</para>
/// </remarks>
public sealed class GenerationPromptComposer
{
    private readonly IDocumentRetriever _retriever;
    private readonly IUserSummarizer _summarizer;
    private readonly KeywordExtractor _keywordExtractor;
    private readonly string _instruction;
    private readonly int _retrievedCount;
    private readonly int _keywordCount;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _summaries = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="GenerationPromptComposer"/> class.</summary>
    /// <param name="retriever">Picks the retrieved entries among the past documents.</param>
    /// <param name="summarizer">Writes the summary of the past documents.</param>
    /// <param name="keywordExtractor">Extracts the synthesis keywords.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="retriever"/>, <paramref name="summarizer"/> or <paramref name="keywordExtractor"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; every failure is listed.</exception>
    public GenerationPromptComposer(
        IDocumentRetriever retriever,
        IUserSummarizer summarizer,
        KeywordExtractor keywordExtractor,
        GenerationPromptComposerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(summarizer);
        ArgumentNullException.ThrowIfNull(keywordExtractor);
        options ??= new GenerationPromptComposerOptions();
        GenerationPromptComposerOptionsValidator.ThrowIfInvalid(options);
        _retriever = retriever;
        _summarizer = summarizer;
        _keywordExtractor = keywordExtractor;
        _instruction = options.Instruction;
        _retrievedCount = options.RetrievedCount;
        _keywordCount = options.KeywordCount;
    }

    /// <summary>Composes the prompt for the next document of a user.</summary>
    /// <param name="userId">The user's identifier: the key of the summary cache.</param>
    /// <param name="context">The context of the new document, for example its title.</param>
    /// <param name="pastDocuments">The user's past documents; at least one.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The prompt; see the remarks on <see cref="GenerationPromptComposer"/> for its components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/>, <paramref name="context"/> or <paramref name="pastDocuments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="userId"/> or <paramref name="context"/> is empty or white space, or <paramref name="pastDocuments"/> is empty or contains <see langword="null"/>.</exception>
    /// <exception cref="PromptKitException">The summarizer could not produce a summary.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async ValueTask<Prompt> ComposeAsync(
        string userId,
        string context,
        IReadOnlyList<UserDocument> pastDocuments,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(context);
        TextWords.ThrowIfNullOrHasNull(pastDocuments, nameof(pastDocuments));
        if (pastDocuments.Count == 0)
        {
            throw new ArgumentException(
                $"User '{userId}' has no past documents. A personalized prompt needs at least one; leave users without history out, or prompt them without personalization.",
                nameof(pastDocuments));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ImmutableArray<UserDocument> retrieved = await _retriever
            .RetrieveAsync(context, pastDocuments, _retrievedCount, cancellationToken)
            .ConfigureAwait(false);
        string summary = await GetSummaryAsync(userId, pastDocuments, cancellationToken).ConfigureAwait(false);

        var entries = new string[retrieved.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = UserDocuments.ToEntry(retrieved[i]);
        }

        string[] keywordSources = entries;
        if (keywordSources.Length == 0)
        {
            keywordSources = new string[pastDocuments.Count];
            for (int i = 0; i < keywordSources.Length; i++)
            {
                keywordSources[i] = UserDocuments.ToEntry(pastDocuments[i]);
            }
        }

        ImmutableArray<string> keywords = _keywordExtractor.Extract(keywordSources, _keywordCount);
        string style = WritingStyle.Describe(pastDocuments);

        return new PromptBuilder()
            .AddInstruction(_instruction)
            .AddQuery(context)
            .AddRetrievedEntries(entries)
            .AddSummary(summary, isEditable: true)
            .AddSynthesis([.. keywords, style], isEditable: true)
            .Build();
    }

    private async Task<string> GetSummaryAsync(string userId, IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken)
    {
        while (true)
        {
            Lazy<Task<string>> entry = _summaries.GetOrAdd(
                userId,
                static (_, state) => new Lazy<Task<string>>(
                    () => SummarizeAsync(state.Summarizer, state.PastDocuments, state.CancellationToken),
                    LazyThreadSafetyMode.ExecutionAndPublication),
                (Summarizer: _summarizer, PastDocuments: pastDocuments, CancellationToken: cancellationToken));
            Task<string> summary = entry.Value;
            try
            {
                return await summary.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (summary.IsFaulted || summary.IsCanceled)
            {
                _summaries.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(userId, entry));
                bool canceledByAnotherCaller = exception is OperationCanceledException && !cancellationToken.IsCancellationRequested;
                if (!canceledByAnotherCaller)
                {
                    throw;
                }
            }
        }
    }

    private static async Task<string> SummarizeAsync(IUserSummarizer summarizer, IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken)
    {
        string summary = await summarizer.SummarizeAsync(pastDocuments, cancellationToken).ConfigureAwait(false);
        return summary ?? throw new PromptKitException(
            $"The {nameof(IUserSummarizer)} {summarizer.GetType().Name} returned null instead of a summary.");
    }
}
