using Microsoft.Extensions.Options;

namespace PromptKit.Internalization;

/// <summary>Checks <see cref="LoraOptions"/>' ranges (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class LoraOptionsValidator : IValidateOptions<LoraOptions>
{
}

/// <summary>Checks that every target module is one a Llama-family decoder has.</summary>
internal sealed class LoraOptionsCrossValidator : IValidateOptions<LoraOptions>
{
    public ValidateOptionsResult Validate(string? name, LoraOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        foreach (string module in options.TargetModules)
        {
            if (!LoraOptions.AllLinearModules.Contains(module) && module != "lm_head")
            {
                result.AddError($"TargetModules has '{module}'; a Llama-family decoder's linear modules are {string.Join(", ", LoraOptions.AllLinearModules)} and lm_head.", nameof(options.TargetModules));
            }
        }

        return result.Build();
    }
}
