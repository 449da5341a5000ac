using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>Checks the DataAnnotations rules of <see cref="PromptEvaluatorOptions"/> (source-generated, no reflection).</summary>
/// <remarks>
/// Register it together with <see cref="PromptEvaluatorOptionsCustomValidator"/>, which checks the <see cref="TimeSpan"/> rules:
/// <c>services.AddOptionsWithValidateOnStart&lt;PromptEvaluatorOptions, PromptEvaluatorOptionsValidator&gt;()</c> and
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IValidateOptions&lt;PromptEvaluatorOptions&gt;, PromptEvaluatorOptionsCustomValidator&gt;())</c>.
/// </remarks>
[OptionsValidator]
internal sealed partial class PromptEvaluatorOptionsValidator : IValidateOptions<PromptEvaluatorOptions>
{
}
