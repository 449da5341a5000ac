using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Validates <see cref="OnnxPolicyOptions"/> (and its session options) from their data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class OnnxPolicyOptionsValidator : IValidateOptions<OnnxPolicyOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(OnnxPolicyOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new OnnxPolicyOptionsValidator());
}
