using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Checks the rules of <see cref="OnnxTextEncoderOptions"/> that compare properties: the model input names must differ, and one run's token count is bounded.</summary>
internal sealed class OnnxTextEncoderOptionsCrossValidator : IValidateOptions<OnnxTextEncoderOptions>
{
    /// <summary>The most tokens one run may hold (BatchSize × MaxLength).</summary>
    public const int MaxTokensPerRun = 1 << 20;

    public ValidateOptionsResult Validate(string? name, OnnxTextEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.Equals(options.InputIdsName, options.AttentionMaskName, StringComparison.Ordinal))
        {
            result.AddError($"InputIdsName and AttentionMaskName are both '{options.InputIdsName}'; each model input needs its own name.", nameof(options.AttentionMaskName));
        }

        if (!string.IsNullOrEmpty(options.TokenTypeIdsName)
            && (string.Equals(options.TokenTypeIdsName, options.InputIdsName, StringComparison.Ordinal)
                || string.Equals(options.TokenTypeIdsName, options.AttentionMaskName, StringComparison.Ordinal)))
        {
            result.AddError($"TokenTypeIdsName '{options.TokenTypeIdsName}' repeats another input name; use the model's token type input name, or null when it has none.", nameof(options.TokenTypeIdsName));
        }

        // Token buffers of one run hold BatchSize × MaxLength ids; keep them (and the hidden states) well inside array limits.
        if ((long)options.BatchSize * options.MaxLength > MaxTokensPerRun)
        {
            result.AddError(
                $"BatchSize × MaxLength ({options.BatchSize} × {options.MaxLength}) exceeds {MaxTokensPerRun:N0} tokens per run. Lower BatchSize or MaxLength.",
                nameof(options.BatchSize));
        }

        return result.Build();
    }
}
