using Microsoft.Extensions.Options;

namespace PromptKit.Internalization;

/// <summary>Checks <see cref="LanguageModelTrainerOptions"/>' ranges (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class LanguageModelTrainerOptionsValidator : IValidateOptions<LanguageModelTrainerOptions>
{
}
