using Microsoft.Extensions.Options;

namespace PromptKit.Lucene;

/// <summary>Validates <see cref="LuceneBm25RetrieverOptions"/> from its data annotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class LuceneBm25RetrieverOptionsValidator : IValidateOptions<LuceneBm25RetrieverOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid(LuceneBm25RetrieverOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new LuceneBm25RetrieverOptionsValidator());
}
