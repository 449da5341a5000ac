namespace PromptKit;

/// <summary>Summarizes a user's past documents into a short text: the summary component of a personalized prompt.</summary>
public interface IUserSummarizer
{
    /// <summary>Summarizes <paramref name="pastDocuments"/>.</summary>
    /// <param name="pastDocuments">The user's past documents; at least one.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The summary: never <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pastDocuments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pastDocuments"/> is empty or contains <see langword="null"/>.</exception>
    /// <exception cref="PromptKitException">The summarizer could not produce a summary (for example, a model refused).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    ValueTask<string> SummarizeAsync(IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken = default);
}
