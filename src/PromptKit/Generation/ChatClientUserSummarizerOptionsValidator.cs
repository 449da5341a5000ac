using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="ChatClientUserSummarizerOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class ChatClientUserSummarizerOptionsValidator : IValidateOptions<ChatClientUserSummarizerOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(ChatClientUserSummarizerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new ChatClientUserSummarizerOptionsValidator());
}
