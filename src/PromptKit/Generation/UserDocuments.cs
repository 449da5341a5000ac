namespace PromptKit;

/// <summary>Argument checks and orderings of user-document lists shared by the generation helpers.</summary>
internal static class UserDocuments
{
    /// <summary>Throws when <paramref name="documents"/> is <see langword="null"/>, empty, or holds <see langword="null"/>.</summary>
    public static void ThrowIfNullOrEmpty(IReadOnlyList<UserDocument> documents, string paramName)
    {
        TextWords.ThrowIfNullOrHasNull(documents, paramName);
        if (documents.Count == 0)
        {
            throw new ArgumentException("At least one past document is required; the list is empty.", paramName);
        }
    }

    /// <summary>The documents sorted by timestamp, equal timestamps in input order.</summary>
    public static List<UserDocument> Chronological(IReadOnlyList<UserDocument> documents)
    {
        var sorted = new List<UserDocument>(documents);
        int[] order = new int[sorted.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            int byTime = documents[x].Timestamp.CompareTo(documents[y].Timestamp);
            return byTime != 0 ? byTime : x.CompareTo(y);
        });
        for (int i = 0; i < order.Length; i++)
        {
            sorted[i] = documents[order[i]];
        }

        return sorted;
    }

    /// <summary>The document as one prompt entry: <c>"Title. Text"</c>, or the text alone when the title is blank; a title already ending in punctuation gets no extra period.</summary>
    public static string ToEntry(UserDocument document)
    {
        string title = document.Title.Trim();
        string text = document.Text.Trim();
        if (title.Length == 0)
        {
            return text;
        }

        string separator = title[^1] is '.' or '!' or '?' ? " " : ". ";
        return text.Length == 0 ? title : title + separator + text;
    }
}
