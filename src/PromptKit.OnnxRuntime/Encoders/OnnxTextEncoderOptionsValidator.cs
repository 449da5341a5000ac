using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Validates <see cref="OnnxTextEncoderOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class OnnxTextEncoderOptionsValidator : IValidateOptions<OnnxTextEncoderOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(OnnxTextEncoderOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new OnnxTextEncoderOptionsValidator(), new OnnxTextEncoderOptionsCrossValidator());
}
