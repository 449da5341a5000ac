using Microsoft.Extensions.AI;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class PromptModelSnippets
{
    public static void Build()
    {
        #region build
        Prompt prompt = new PromptBuilder()
            .AddRolePlaying("You are a film critic who knows every genre.", isEditable: true)
            .AddInstruction("Rank the candidate movies for this user.")
            .AddHistory(["The Matrix (1999), rated 5", "Alien (1979), rated 4"])
            .AddCandidates(["Heat (1995)", "Up (2009)"])
            .AddOutputFormat("Answer with a numbered list of titles.")
            .Build();

        Prompt shorter = prompt.Without(PromptComponentKind.RolePlaying)       // new prompt; `prompt` is unchanged
                               .WithText("format", "Answer with titles only.");
        string text = shorter.Render();                                         // one text
        IReadOnlyList<ChatMessage> messages = shorter.ToChatMessages();         // system + user messages for IChatClient
        #endregion
    }
}
