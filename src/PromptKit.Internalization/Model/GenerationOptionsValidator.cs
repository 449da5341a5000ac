using Microsoft.Extensions.Options;

namespace PromptKit.Internalization;

/// <summary>Checks <see cref="GenerationOptions"/>' ranges (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
}
