using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="GenerationPromptComposerOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class GenerationPromptComposerOptionsValidator : IValidateOptions<GenerationPromptComposerOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(GenerationPromptComposerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new GenerationPromptComposerOptionsValidator());
}
