using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>
/// Runs an options type's validators — the same ones dependency injection registers — and throws one
/// <see cref="OptionsValidationException"/> listing every failure. Shared source, compiled into each PromptKit package.
/// </summary>
internal static class OptionsValidation
{
    /// <summary>Validates <paramref name="options"/> with every validator given and throws listing all failures.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options to check.</param>
    /// <param name="validators">The validators, e.g. the generated data-annotations validator and a cross-property validator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">At least one rule fails; <see cref="OptionsValidationException.Failures"/> lists all of them.</exception>
    public static void ThrowIfInvalid<TOptions>(TOptions options, params ReadOnlySpan<IValidateOptions<TOptions>> validators)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Failures(options, validators) is { } failures)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
        }
    }

    /// <summary>Validates options passed as a method argument with every validator given and throws one
    /// <see cref="ArgumentException"/> naming the argument and listing all failures.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options to check.</param>
    /// <param name="paramName">The name of the argument that holds them.</param>
    /// <param name="validators">The validators.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A validator failed.</exception>
    public static void ThrowIfInvalidArgument<TOptions>(TOptions options, string paramName, params ReadOnlySpan<IValidateOptions<TOptions>> validators)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        if (Failures(options, validators) is { } failures)
        {
            throw new ArgumentException($"The {typeof(TOptions).Name} are invalid: {string.Join("; ", failures)}", paramName);
        }
    }

    private static List<string>? Failures<TOptions>(TOptions options, ReadOnlySpan<IValidateOptions<TOptions>> validators)
        where TOptions : class
    {
        List<string>? failures = null;
        foreach (IValidateOptions<TOptions> validator in validators)
        {
            ValidateOptionsResult result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                (failures ??= []).AddRange(result.Failures);
            }
        }

        return failures;
    }
}
