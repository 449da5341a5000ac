namespace PromptKit;

/// <summary>One document a user wrote in the past (for example an arXiv abstract), the material of a personalized prompt.</summary>
/// <param name="Id">The document's identifier: not empty or white space.</param>
/// <param name="Title">The title; it may be empty.</param>
/// <param name="Text">The body text; it may be empty.</param>
/// <param name="Timestamp">When the document was written or published.</param>
/// <remarks>Every property is checked when it is set, by the constructor and by <see langword="with"/> expressions alike.</remarks>
/// <exception cref="ArgumentNullException"><paramref name="Id"/>, <paramref name="Title"/> or <paramref name="Text"/> is <see langword="null"/>.</exception>
/// <exception cref="ArgumentException"><paramref name="Id"/> is empty or white space.</exception>
public sealed record UserDocument(string Id, string Title, string Text, DateTimeOffset Timestamp)
{
    private readonly string _id = ValidateId(Id);
    private readonly string _title = ValidateText(Title, nameof(Title));
    private readonly string _text = ValidateText(Text, nameof(Text));

    /// <summary>Gets the document's identifier: never empty or white space.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value is empty or white space.</exception>
    public string Id
    {
        get => _id;
        init => _id = ValidateId(value);
    }

    /// <summary>Gets the title; it may be empty.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string Title
    {
        get => _title;
        init => _title = ValidateText(value, nameof(Title));
    }

    /// <summary>Gets the body text; it may be empty.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public string Text
    {
        get => _text;
        init => _text = ValidateText(value, nameof(Text));
    }

    private static string ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, nameof(Id));
        return id;
    }

    private static string ValidateText(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        return value;
    }
}
