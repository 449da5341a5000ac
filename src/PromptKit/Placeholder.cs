namespace PromptKit;

/// <summary>Temporary.</summary>
public static class PromptKitInfo
{
    /// <summary>Gets the name.</summary>
    public static string Name => "PromptKit";
}
