namespace PromptKit;

/// <summary>Which history interactions a prompt shows, and in which order.</summary>
public enum HistoryOrder
{
    /// <summary>The most recent interactions, oldest first.</summary>
    MostRecent,

    /// <summary>The highest-rated interactions, best first (ties: the more recent first).</summary>
    HighestRated,
}
