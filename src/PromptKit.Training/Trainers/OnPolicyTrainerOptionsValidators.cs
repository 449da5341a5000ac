using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Validates <see cref="PpoTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PpoTrainerOptionsValidator : IValidateOptions<PpoTrainerOptions>
{
    public static void ThrowIfInvalid(PpoTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new PpoTrainerOptionsValidator(), new PpoTrainerOptionsCrossValidator());
}

/// <summary>Validates <see cref="ActorCriticTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ActorCriticTrainerOptionsValidator : IValidateOptions<ActorCriticTrainerOptions>
{
    public static void ThrowIfInvalid(ActorCriticTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new ActorCriticTrainerOptionsValidator(), new OnPolicyTrainerOptionsCrossValidator<ActorCriticTrainerOptions>());
}

/// <summary>The rules shared by every <see cref="OnPolicyTrainerOptions"/> that compare properties.</summary>
/// <typeparam name="TOptions">The trainer's options type.</typeparam>
internal class OnPolicyTrainerOptionsCrossValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : OnPolicyTrainerOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        options.AddCommonCrossErrors(result);
        AddErrors(options, result);
        return result.Build();
    }

    /// <summary>Adds the rules specific to <typeparamref name="TOptions"/>.</summary>
    protected virtual void AddErrors(TOptions options, ValidateOptionsResultBuilder result)
    {
    }
}

/// <summary>The rules of <see cref="PpoTrainerOptions"/> that compare properties.</summary>
internal sealed class PpoTrainerOptionsCrossValidator : OnPolicyTrainerOptionsCrossValidator<PpoTrainerOptions>
{
    protected override void AddErrors(PpoTrainerOptions options, ValidateOptionsResultBuilder result)
    {
        if (options.MiniBatchSize > options.RolloutSize)
        {
            result.AddError(
                $"MiniBatchSize ({options.MiniBatchSize}) must not exceed the rollout size EnvironmentCount × StepsPerEnvironment ({options.RolloutSize}).",
                nameof(options.MiniBatchSize));
        }
    }
}
