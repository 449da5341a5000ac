namespace PromptKit;

/// <summary>The well-known kinds of prompt component used by the prompt-learning methods PromptKit implements.</summary>
/// <remarks>
/// The kinds cover the personalized-generation prompt of the rewriting method (instruction, retrieved entries, summary,
/// synthesis), the four patterns of Reinforced Prompt Personalization (role-playing, history records, reasoning
/// guidance, output format) and the long prompts that generative prompt internalization distils (instructions,
/// examples, action space). <see cref="Custom"/> covers anything else.
/// </remarks>
public enum PromptComponentKind
{
    /// <summary>A component of no well-known kind; its name is used as its heading.</summary>
    Custom = 0,

    /// <summary>A role-playing sentence ("You are a movie recommender who …").</summary>
    RolePlaying,

    /// <summary>The instruction or task description.</summary>
    Instruction,

    /// <summary>The user's history records (items the user interacted with, documents the user wrote).</summary>
    HistoryRecords,

    /// <summary>Entries retrieved for the current request (e.g. the user's most relevant past documents).</summary>
    RetrievedEntries,

    /// <summary>A summary of the user's context.</summary>
    Summary,

    /// <summary>A synthesis of the user's context: keywords, topics, writing style.</summary>
    Synthesis,

    /// <summary>Reasoning guidance ("Think about the genres the user prefers first …").</summary>
    ReasoningGuidance,

    /// <summary>The required output format.</summary>
    OutputFormat,

    /// <summary>Worked examples (shots).</summary>
    Examples,

    /// <summary>The actions an agent may take (tools, moves, commands).</summary>
    ActionSpace,

    /// <summary>The current query or request.</summary>
    Query,

    /// <summary>The candidate items to choose from or rank.</summary>
    Candidates,
}
