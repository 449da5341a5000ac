using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PromptKit.Samples;

/// <summary>The flags every sample that calls a frozen model shares: calls in flight, sampling options, the hard budget,
/// consent to a large run and the response cache (System.CommandLine). A new instance per command.</summary>
public sealed class ModelCallFlags
{
    /// <summary>Gets <c>--concurrency</c>.</summary>
    public Option<int?> Concurrency { get; } = SampleCommandLine.OptionalWholeNumber("--concurrency", "Frozen-model calls in flight [default: 4 against an endpoint, 8 simulated].", 1, 1024);

    /// <summary>Gets <c>--temperature</c>.</summary>
    public Option<double?> Temperature { get; } = Fraction("--temperature", "Sampling temperature of the frozen model [default: 0 against an endpoint; the simulators ignore it].", 0, 2);

    /// <summary>Gets <c>--top-p</c>.</summary>
    public Option<double?> TopP { get; } = Fraction("--top-p", "Nucleus sampling top-p [default: the server's].", 0, 1);

    /// <summary>Gets <c>--max-output-tokens</c>.</summary>
    public Option<int?> MaxOutputTokens { get; } = SampleCommandLine.OptionalWholeNumber("--max-output-tokens", "Most tokens per answer [default: the server's].", 1, 1_000_000);

    /// <summary>Gets <c>--max-calls</c>.</summary>
    public Option<int?> MaxCalls { get; } = SampleCommandLine.OptionalWholeNumber("--max-calls", "Hard budget of frozen-model calls (cache hits are free): training stops cleanly at it, checkpointed, and the run says so [default: none].", 1, int.MaxValue);

    /// <summary>Gets <c>--max-tokens</c>.</summary>
    public Option<long?> MaxTokens { get; } = new("--max-tokens")
    {
        HelpName = "N",
        Description = "Hard budget of tokens, where the server reports usage; the call that reaches it is the last [default: none].",
        CustomParser = result => ParseLong(result, "--max-tokens"),
    };

    /// <summary>Gets <c>--max-failure-share</c>.</summary>
    public Option<double?> MaxFailureShare { get; } = Fraction("--max-failure-share", "Stop the run (exit code 4, finished work saved) once this share of the frozen-model calls in a 30 s window failed, after at least 20 calls [default: 0.5].", 0.01, 1);

    /// <summary>Gets <c>--yes</c>.</summary>
    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Start a large run against an endpoint without asking (needed when standard input is not a terminal, unless --max-calls is given)." };

    /// <summary>Gets <c>--cache</c>.</summary>
    public Option<string?> Cache { get; } = new("--cache")
    {
        HelpName = "SPEC",
        Description = "Response cache: a SQLite file path, redis://HOST:PORT (shared by trainer processes), memory, or none [default: OUT/response-cache.sqlite against an endpoint, memory simulated].",
    };

    /// <summary>Gets every flag, in help order.</summary>
    public IReadOnlyList<Option> All => [Concurrency, Temperature, TopP, MaxOutputTokens, MaxCalls, MaxTokens, MaxFailureShare, Yes, Cache];

    /// <summary>Reads the flags from a parse result.</summary>
    /// <param name="result">The parse result.</param>
    /// <returns>The settings.</returns>
    public ModelCallSettings Bind(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ModelCallSettings
        {
            Concurrency = result.GetValue(Concurrency),
            Temperature = result.GetValue(Temperature),
            TopP = result.GetValue(TopP),
            MaxOutputTokens = result.GetValue(MaxOutputTokens),
            MaxCalls = result.GetValue(MaxCalls),
            MaxTokens = result.GetValue(MaxTokens),
            MaxFailureShare = result.GetValue(MaxFailureShare),
            Yes = result.GetValue(Yes),
            Cache = result.GetValue(Cache),
        };
    }

    private static Option<double?> Fraction(string name, string description, double min, double max) => new(name)
    {
        HelpName = "X",
        Description = description,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            string text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}; got '{text}'."));
            return null;
        },
    };

    private static long? ParseLong(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 1)
        {
            return value;
        }

        result.AddError($"{name} must be a positive whole number; got '{text}'.");
        return null;
    }
}
