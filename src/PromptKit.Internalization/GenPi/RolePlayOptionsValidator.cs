using Microsoft.Extensions.Options;

namespace PromptKit.Internalization;

/// <summary>Checks <see cref="RolePlayOptions"/>' ranges and required prompts (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class RolePlayOptionsValidator : IValidateOptions<RolePlayOptions>
{
}
