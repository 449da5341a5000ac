using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Validates <see cref="SupervisedTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class SupervisedTrainerOptionsValidator : IValidateOptions<SupervisedTrainerOptions>
{
    public static void ThrowIfInvalid(SupervisedTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new SupervisedTrainerOptionsValidator());
}
