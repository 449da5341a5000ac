using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Checks the rules of <see cref="OnnxTextEncoderOptions"/> that compare properties: the model input names must differ.</summary>
internal sealed class OnnxTextEncoderOptionsCrossValidator : IValidateOptions<OnnxTextEncoderOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxTextEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.Equals(options.InputIdsName, options.AttentionMaskName, StringComparison.Ordinal))
        {
            result.AddError($"InputIdsName and AttentionMaskName are both '{options.InputIdsName}'; each model input needs its own name.", nameof(options.AttentionMaskName));
        }

        if (!string.IsNullOrEmpty(options.TokenTypeIdsName)
            && (string.Equals(options.TokenTypeIdsName, options.InputIdsName, StringComparison.Ordinal)
                || string.Equals(options.TokenTypeIdsName, options.AttentionMaskName, StringComparison.Ordinal)))
        {
            result.AddError($"TokenTypeIdsName '{options.TokenTypeIdsName}' repeats another input name; use the model's token type input name, or null when it has none.", nameof(options.TokenTypeIdsName));
        }

        return result.Build();
    }
}
