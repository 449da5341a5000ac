using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Checks the <see cref="TimeSpan"/> rules of <see cref="PromptEvaluatorOptions"/>, which DataAnnotations cannot express without reflection.</summary>
internal sealed class PromptEvaluatorOptionsCustomValidator : IValidateOptions<PromptEvaluatorOptions>
{
    /// <summary>The shortest per-call timeout (Polly's timeout strategy rejects shorter ones).</summary>
    internal static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The shortest circuit-breaker window (Polly's circuit breaker rejects shorter ones).</summary>
    internal static readonly TimeSpan MinCircuitBreakerWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest timeout or retry delay.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    private static readonly PromptEvaluatorOptionsValidator AnnotationsValidator = new();
    private static readonly PromptEvaluatorOptionsCustomValidator Instance = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, PromptEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var result = new ValidateOptionsResultBuilder();
        if (options.Timeout < MinTimeout || options.Timeout > MaxDuration)
        {
            result.AddError(
                $"Timeout ({options.Timeout}) must be between {MinTimeout} and {MaxDuration}. Set a positive time limit per model call, e.g. 00:01:00.",
                nameof(options.Timeout));
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > MaxDuration)
        {
            result.AddError(
                $"RetryBaseDelay ({options.RetryBaseDelay}) must be between {TimeSpan.Zero} and {MaxDuration}.",
                nameof(options.RetryBaseDelay));
        }

        if (options.MaxRetryDelay < TimeSpan.Zero || options.MaxRetryDelay > MaxDuration)
        {
            result.AddError(
                $"MaxRetryDelay ({options.MaxRetryDelay}) must be between {TimeSpan.Zero} and {MaxDuration}.",
                nameof(options.MaxRetryDelay));
        }
        else if (options.MaxRetryDelay < options.RetryBaseDelay)
        {
            result.AddError(
                $"MaxRetryDelay ({options.MaxRetryDelay}) must not be less than RetryBaseDelay ({options.RetryBaseDelay}). Raise MaxRetryDelay or lower RetryBaseDelay.",
                nameof(options.MaxRetryDelay));
        }

        if (options.CircuitBreakerWindow < MinCircuitBreakerWindow || options.CircuitBreakerWindow > MaxDuration)
        {
            result.AddError(
                $"CircuitBreakerWindow ({options.CircuitBreakerWindow}) must be between {MinCircuitBreakerWindow} and {MaxDuration}.",
                nameof(options.CircuitBreakerWindow));
        }

        return result.Build();
    }

    /// <summary>Runs both validators of <see cref="PromptEvaluatorOptions"/>, the same rules DI applies, and throws listing every failure.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">At least one rule fails; <see cref="OptionsValidationException.Failures"/> lists all of them.</exception>
    internal static void ThrowIfInvalid(PromptEvaluatorOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, AnnotationsValidator, Instance);
}
