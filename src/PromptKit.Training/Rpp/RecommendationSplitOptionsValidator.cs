using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Validates <see cref="RecommendationSplitOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class RecommendationSplitOptionsValidator : IValidateOptions<RecommendationSplitOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(RecommendationSplitOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new RecommendationSplitOptionsValidator(), new RecommendationSplitOptionsCrossValidator());
}
