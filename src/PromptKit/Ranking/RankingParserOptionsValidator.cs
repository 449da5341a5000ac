using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Validates the DataAnnotations rules of <see cref="RankingParserOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class RankingParserOptionsValidator : IValidateOptions<RankingParserOptions>
{
}
