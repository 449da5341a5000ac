using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates <see cref="PpoTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PpoTrainerOptionsValidator : IValidateOptions<PpoTrainerOptions>
{
    public static void ThrowIfInvalid(PpoTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new PpoTrainerOptionsValidator(), new PpoTrainerOptionsCrossValidator());
}

/// <summary>The rules of <see cref="PpoTrainerOptions"/> that compare properties.</summary>
internal sealed class PpoTrainerOptionsCrossValidator : IValidateOptions<PpoTrainerOptions>
{
    public ValidateOptionsResult Validate(string? name, PpoTrainerOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        options.AddCommonCrossErrors(result);
        if ((long)options.MiniBatchSize > (long)options.EnvironmentCount * options.StepsPerEnvironment)
        {
            result.AddError(
                $"MiniBatchSize ({options.MiniBatchSize}) must not exceed the rollout size EnvironmentCount × StepsPerEnvironment ({(long)options.EnvironmentCount * options.StepsPerEnvironment}).",
                nameof(options.MiniBatchSize));
        }

        return result.Build();
    }
}

/// <summary>Validates <see cref="ActorCriticTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ActorCriticTrainerOptionsValidator : IValidateOptions<ActorCriticTrainerOptions>
{
    public static void ThrowIfInvalid(ActorCriticTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new ActorCriticTrainerOptionsValidator(), new ActorCriticTrainerOptionsCrossValidator());
}

/// <summary>The rules of <see cref="ActorCriticTrainerOptions"/> that compare properties.</summary>
internal sealed class ActorCriticTrainerOptionsCrossValidator : IValidateOptions<ActorCriticTrainerOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorCriticTrainerOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        options.AddCommonCrossErrors(result);
        return result.Build();
    }
}
