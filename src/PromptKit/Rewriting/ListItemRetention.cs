namespace PromptKit;

/// <summary>Which items of a list component a <see cref="ListLimitPromptRewriter"/> keeps.</summary>
public enum ListItemRetention
{
    /// <summary>The first items, e.g. the best retrieved entries when retrieval ranks best first.</summary>
    First = 0,

    /// <summary>The last items, e.g. the most recent history records when history is listed oldest first (as PromptKit's personalizers list it).</summary>
    Last,
}
