using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="BleuOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class BleuOptionsValidator : IValidateOptions<BleuOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(BleuOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new BleuOptionsValidator());
}
