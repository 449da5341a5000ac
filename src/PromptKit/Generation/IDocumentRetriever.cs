using System.Collections.Immutable;

namespace PromptKit;

/// <summary>Retrieves the documents most relevant to a query from a given set, for example a user's past documents.</summary>
/// <remarks>
/// Implementations return at most <c>count</c> documents, most relevant first; documents of equal relevance keep their
/// order in the input list. Documents that do not match the query at all are left out, so fewer than <c>count</c>
/// (possibly none) may come back. An empty document list returns an empty array.
/// </remarks>
public interface IDocumentRetriever
{
    /// <summary>Retrieves the documents of <paramref name="documents"/> most relevant to <paramref name="query"/>.</summary>
    /// <param name="query">The query text (any text: it is never parsed as query syntax).</param>
    /// <param name="documents">The documents to choose from; it may be empty.</param>
    /// <param name="count">The most documents to return; positive.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>Up to <paramref name="count"/> documents, most relevant first, ties in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> or <paramref name="documents"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="documents"/> contains <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is zero or negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    ValueTask<ImmutableArray<UserDocument>> RetrieveAsync(
        string query,
        IReadOnlyList<UserDocument> documents,
        int count,
        CancellationToken cancellationToken = default);
}
