using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="ExtractiveUserSummarizerOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class ExtractiveUserSummarizerOptionsValidator : IValidateOptions<ExtractiveUserSummarizerOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(ExtractiveUserSummarizerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new ExtractiveUserSummarizerOptionsValidator());
}
