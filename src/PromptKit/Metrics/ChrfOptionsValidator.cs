using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="ChrfOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class ChrfOptionsValidator : IValidateOptions<ChrfOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(ChrfOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new ChrfOptionsValidator(), new ChrfOptionsCrossValidator());
}
