namespace PromptKit;

/// <summary>Defaults that each <see cref="PromptComponentKind"/> implies.</summary>
internal static class PromptComponentKindInfo
{
    public static string DefaultName(PromptComponentKind kind) => kind switch
    {
        PromptComponentKind.RolePlaying => "role",
        PromptComponentKind.Instruction => "instruction",
        PromptComponentKind.HistoryRecords => "history",
        PromptComponentKind.RetrievedEntries => "retrieved",
        PromptComponentKind.Summary => "summary",
        PromptComponentKind.Synthesis => "synthesis",
        PromptComponentKind.ReasoningGuidance => "reasoning",
        PromptComponentKind.OutputFormat => "format",
        PromptComponentKind.Examples => "examples",
        PromptComponentKind.ActionSpace => "actions",
        PromptComponentKind.Query => "query",
        PromptComponentKind.Candidates => "candidates",
        _ => "custom",
    };

    /// <summary>The heading shown above the component, or <see langword="null"/> when the kind reads as plain prose.</summary>
    public static string? DefaultHeading(PromptComponentKind kind) => kind switch
    {
        PromptComponentKind.HistoryRecords => "History records",
        PromptComponentKind.RetrievedEntries => "Retrieved entries",
        PromptComponentKind.Summary => "Summary",
        PromptComponentKind.Synthesis => "Keywords",
        PromptComponentKind.OutputFormat => "Output format",
        PromptComponentKind.Examples => "Examples",
        PromptComponentKind.ActionSpace => "Available actions",
        PromptComponentKind.Query => "Query",
        PromptComponentKind.Candidates => "Candidates",
        _ => null,
    };

    public static PromptRole DefaultRole(PromptComponentKind kind) => kind switch
    {
        PromptComponentKind.RolePlaying or PromptComponentKind.Instruction => PromptRole.System,
        _ => PromptRole.User,
    };

    /// <summary>Whether content of this kind comes from users or their data and must be delimited.</summary>
    public static bool DefaultIsUserContent(PromptComponentKind kind) => kind switch
    {
        PromptComponentKind.HistoryRecords or PromptComponentKind.RetrievedEntries or PromptComponentKind.Summary
            or PromptComponentKind.Synthesis or PromptComponentKind.Query or PromptComponentKind.Candidates => true,
        _ => false,
    };

    public static void ThrowIfUndefined(PromptComponentKind kind, string paramName)
    {
        if (kind < PromptComponentKind.Custom || kind > PromptComponentKind.Candidates)
        {
            throw new ArgumentOutOfRangeException(paramName, kind, $"Component kind {(int)kind} is not a defined {nameof(PromptComponentKind)} value.");
        }
    }
}
