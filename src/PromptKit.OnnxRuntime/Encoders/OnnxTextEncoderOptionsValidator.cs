using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="OnnxTextEncoderOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class OnnxTextEncoderOptionsValidator : IValidateOptions<OnnxTextEncoderOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(OnnxTextEncoderOptions options)
    {
        ValidateOptionsResult result = new OnnxTextEncoderOptionsValidator().Validate(Options.DefaultName, options);
        ValidateOptionsResult cross = new OnnxTextEncoderOptionsCrossValidator().Validate(Options.DefaultName, options);
        var failures = new List<string>();
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        if (cross.Failed)
        {
            failures.AddRange(cross.Failures);
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OnnxTextEncoderOptions), failures);
        }
    }
}
