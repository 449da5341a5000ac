using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime;

/// <summary>Checks every rule of <see cref="OnnxChatClientOptions"/> (the nested <see cref="OnnxSessionOptions"/> by its data annotations) and reports all failures at once.</summary>
internal sealed class OnnxChatClientOptionsValidator : IValidateOptions<OnnxChatClientOptions>
{
    /// <summary>The largest context length accepted.</summary>
    internal const int MaxContext = 1 << 20;

    private static readonly OnnxChatClientOptionsValidator Instance = new();
    private static readonly OnnxSessionOptionsValidator SessionValidator = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, OnnxChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            result.AddError("ModelPath is required: set it to the path of the decoder's .onnx file.", nameof(options.ModelPath));
        }

        if (options.Tokenizer is null)
        {
            result.AddError("Tokenizer is required: set it to the tokenizer that matches the model's vocabulary (a Microsoft.ML.Tokenizers.Tokenizer).", nameof(options.Tokenizer));
        }

        if (options.MaxContextLength < 2 || options.MaxContextLength > MaxContext)
        {
            result.AddError($"MaxContextLength ({options.MaxContextLength}) must be between 2 and {MaxContext}.", nameof(options.MaxContextLength));
        }

        if (options.DefaultMaxOutputTokens < 1 || options.DefaultMaxOutputTokens > MaxContext)
        {
            result.AddError($"DefaultMaxOutputTokens ({options.DefaultMaxOutputTokens}) must be between 1 and {MaxContext}.", nameof(options.DefaultMaxOutputTokens));
        }

        for (int i = 0; i < options.EndOfSequenceTokenIds.Count; i++)
        {
            if (options.EndOfSequenceTokenIds[i] < 0)
            {
                result.AddError($"EndOfSequenceTokenIds[{i}] ({options.EndOfSequenceTokenIds[i]}) must not be negative.", nameof(options.EndOfSequenceTokenIds));
            }
        }

        CheckName(result, options.InputIdsName, nameof(options.InputIdsName), layerFormat: false);
        CheckName(result, options.AttentionMaskName, nameof(options.AttentionMaskName), layerFormat: false);
        CheckName(result, options.PositionIdsName, nameof(options.PositionIdsName), layerFormat: false);
        CheckName(result, options.LogitsName, nameof(options.LogitsName), layerFormat: false);
        CheckName(result, options.PastKeyNameFormat, nameof(options.PastKeyNameFormat), layerFormat: true);
        CheckName(result, options.PastValueNameFormat, nameof(options.PastValueNameFormat), layerFormat: true);
        CheckName(result, options.PresentKeyNameFormat, nameof(options.PresentKeyNameFormat), layerFormat: true);
        CheckName(result, options.PresentValueNameFormat, nameof(options.PresentValueNameFormat), layerFormat: true);

        if (options.Session is not null)
        {
            ValidateOptionsResult session = SessionValidator.Validate(Options.DefaultName, options.Session);
            if (session.Failed)
            {
                foreach (string failure in session.Failures)
                {
                    result.AddError($"Session: {failure}", nameof(options.Session));
                }
            }
        }

        return result.Build();
    }

    /// <summary>Validates <paramref name="options"/> and throws listing every failure.</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">At least one rule fails; <see cref="OptionsValidationException.Failures"/> lists all of them.</exception>
    internal static void ThrowIfInvalid(OnnxChatClientOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, Instance);

    private static void CheckName(ValidateOptionsResultBuilder result, string? value, string property, bool layerFormat)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            result.AddError($"{property} must name a model input or output; it is empty.", property);
        }
        else if (layerFormat && !value.Contains("{0}", StringComparison.Ordinal))
        {
            result.AddError($"{property} ('{value}') must contain the layer placeholder {{0}}, e.g. 'past_key_values.{{0}}.key'.", property);
        }
        else if (layerFormat)
        {
            try
            {
                _ = string.Format(CultureInfo.InvariantCulture, value, 0);
            }
            catch (FormatException ex)
            {
                result.AddError($"{property} ('{value}') is not a valid composite format: {ex.Message} Escape literal braces as {{{{ and }}}}.", property);
            }
        }
    }
}
