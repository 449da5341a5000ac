using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates the rules of <see cref="ChrfOptions"/> that involve several properties.</summary>
internal sealed class ChrfOptionsCrossValidator : IValidateOptions<ChrfOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ChrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        // Only when both are 0: a negative order is already reported by the range rule, and this message would be wrong
        // for it (found by the options property test).
        if (options.CharOrder == 0 && options.WordOrder == 0)
        {
            result.AddError(
                $"CharOrder ({options.CharOrder}) and WordOrder ({options.WordOrder}) are both 0: chrF needs at least one n-gram order. Set CharOrder (6 for chrF) or WordOrder (2 for chrF++).",
                nameof(options.CharOrder));
        }

        return result.Build();
    }
}
