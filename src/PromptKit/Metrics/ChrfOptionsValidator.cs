using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="ChrfOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class ChrfOptionsValidator : IValidateOptions<ChrfOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(ChrfOptions options)
    {
        ValidateOptionsResult result = new ChrfOptionsValidator().Validate(Options.DefaultName, options);
        ValidateOptionsResult cross = new ChrfOptionsCrossValidator().Validate(Options.DefaultName, options);
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
            throw new OptionsValidationException(Options.DefaultName, typeof(ChrfOptions), failures);
        }
    }
}
