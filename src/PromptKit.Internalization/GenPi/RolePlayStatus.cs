namespace PromptKit.Internalization;

/// <summary>How a role-played conversation ended.</summary>
public enum RolePlayStatus
{
    /// <summary>A role wrote the end-of-conversation marker within the limits: kept for training.</summary>
    Finished,

    /// <summary>A turn was empty, or an agent turn was a refusal or an error text or failed <see cref="RolePlayOptions.IsValidAgentTurn"/>.</summary>
    Broken,

    /// <summary>The turns exceeded <see cref="RolePlayOptions.MaxCharacters"/>.</summary>
    TooLong,

    /// <summary>No marker within <see cref="RolePlayOptions.MaxTurns"/>: cut at the limit.</summary>
    NeverEnded,
}
