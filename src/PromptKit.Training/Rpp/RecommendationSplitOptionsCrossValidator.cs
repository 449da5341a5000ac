using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Checks the rules of <see cref="RecommendationSplitOptions"/> that compare properties.</summary>
internal sealed class RecommendationSplitOptionsCrossValidator : IValidateOptions<RecommendationSplitOptions>
{
    public ValidateOptionsResult Validate(string? name, RecommendationSplitOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if ((long)options.TrainUsers + options.ValidationUsers + options.TestUsers == 0)
        {
            result.AddError(
                $"TrainUsers, ValidationUsers and TestUsers are all 0; at least one part must hold a user.",
                nameof(options.TrainUsers));
        }

        return result.Build();
    }
}
