namespace PromptKit;

/// <summary>The four patterns of a Reinforced Prompt Personalization (RPP) prompt; one agent chooses one sentence of each per step.</summary>
public enum RppPattern
{
    /// <summary>The role the model plays (for example "You are a movie recommender.").</summary>
    RolePlaying,

    /// <summary>How much of the user's history is shown, in which order and whether with ratings.</summary>
    HistoryRecords,

    /// <summary>How the model should reason about the user and the candidates.</summary>
    ReasoningGuidance,

    /// <summary>The form of the answer.</summary>
    OutputFormat,
}
