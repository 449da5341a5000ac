using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Checks the DataAnnotations rules of <see cref="PointerRewriterOptions"/> (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class PointerRewriterOptionsValidator : IValidateOptions<PointerRewriterOptions>
{
    /// <summary>Throws one <see cref="ArgumentException"/> naming <paramref name="paramName"/> and listing every failed rule.</summary>
    public static void ThrowIfInvalid(PointerRewriterOptions options, string paramName) =>
        OptionsValidation.ThrowIfInvalidArgument(options, paramName, new PointerRewriterOptionsValidator(), new PointerRewriterOptionsCrossValidator());
}

/// <summary>The rule the attributes cannot state: at least one context kind.</summary>
internal sealed class PointerRewriterOptionsCrossValidator : IValidateOptions<PointerRewriterOptions>
{
    public ValidateOptionsResult Validate(string? name, PointerRewriterOptions options) =>
        options.ContextKinds.IsDefaultOrEmpty
            ? ValidateOptionsResult.Fail($"{nameof(PointerRewriterOptions.ContextKinds)} is empty; name at least one component kind (usually Query).")
            : ValidateOptionsResult.Success;
}
