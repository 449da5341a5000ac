using Microsoft.Extensions.Options;

namespace PromptKit.Internalization;

/// <summary>Checks <see cref="GenPiOptions"/>' ranges (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class GenPiOptionsValidator : IValidateOptions<GenPiOptions>
{
}
