using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Checks the DataAnnotations rules of <see cref="PromptRewriterTrainerOptions"/> (source-generated, no
/// reflection); the nested trainer settings are checked by their own validators.</summary>
[OptionsValidator]
internal sealed partial class PromptRewriterTrainerOptionsValidator : IValidateOptions<PromptRewriterTrainerOptions>
{
}
