using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Validates <see cref="OnnxSessionOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class OnnxSessionOptionsValidator : IValidateOptions<OnnxSessionOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(OnnxSessionOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new OnnxSessionOptionsValidator());
}
