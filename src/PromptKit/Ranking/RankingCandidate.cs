namespace PromptKit;

/// <summary>An item that a language model was asked to rank: a unique id and the title shown to the model.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RankingCandidate
{
    /// <summary>Initializes a new instance of the <see cref="RankingCandidate"/> class.</summary>
    /// <param name="id">The candidate's id as shown to the model (for example <c>"12"</c> or <c>"tt0078748"</c>).</param>
    /// <param name="title">The title or display text shown to the model; may be empty when only the id was shown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="title"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or consists only of white space.</exception>
    public RankingCandidate(string id, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(title);
        Id = id;
        Title = title;
    }

    /// <summary>Gets the candidate's id.</summary>
    public string Id { get; }

    /// <summary>Gets the candidate's title or display text.</summary>
    public string Title { get; }

    /// <inheritdoc/>
    public override string ToString() => Title.Length == 0 ? $"[{Id}]" : $"[{Id}] {Title}";
}
