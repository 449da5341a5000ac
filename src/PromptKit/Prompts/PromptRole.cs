namespace PromptKit;

/// <summary>Which chat message a prompt component is rendered into by <see cref="Prompt.ToChatMessages(PromptFormat?)"/>.</summary>
public enum PromptRole
{
    /// <summary>The system message: instructions that the model should follow.</summary>
    System = 0,

    /// <summary>The user message: the request and the data it is about.</summary>
    User,
}
