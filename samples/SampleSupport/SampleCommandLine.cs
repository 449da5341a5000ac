using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PromptKit.Samples;

/// <summary>The samples' command-line conventions on System.CommandLine: whole-number options with a range, and one
/// way to end a parse (help: exit code 0; a bad value: one line on standard error, exit code 2).</summary>
public static class SampleCommandLine
{
    /// <summary>Creates an integer option whose value must lie in [<paramref name="min"/>, <paramref name="max"/>]; a value
    /// that is not an integer or out of range is one parse error that names the option.</summary>
    /// <param name="name">The option's name, e.g. <c>--iterations</c>.</param>
    /// <param name="description">The help text.</param>
    /// <param name="defaultValue">The value when the option is absent.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The option.</returns>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInt(result, name, defaultValue, min, max),
    };

    /// <summary>Creates an optional integer option (no default) whose value must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">The help text.</param>
    /// <param name="min">The smallest allowed value.</param>
    /// <param name="max">The largest allowed value.</param>
    /// <returns>The option; its value is <see langword="null"/> when absent.</returns>
    public static Option<int?> OptionalWholeNumber(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseInt(result, name, 0, min, max),
    };

    /// <summary>Parses <paramref name="args"/> with <paramref name="command"/> and binds the options.</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <param name="command">The command with its options.</param>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="bind">Reads the options from the parse result; may throw <see cref="ArgumentException"/> for rules
    /// across options.</param>
    /// <returns>The bound options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown or has a bad value; the message is the first error.</exception>
    public static T Parse<T>(RootCommand command, string[] args, Func<ParseResult, T> bind)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(bind);
        ParseResult result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(result.Errors[0].Message);
        }

        return bind(result);
    }

    /// <summary>Runs the parse of a sample's <c>Main</c>: prints the complete help for <c>--help</c>, <c>-h</c> or
    /// <c>-?</c> and the version for <c>--version</c> (exit code 0), or one line on standard error for a bad argument
    /// (exit code 2).</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <param name="command">The command with its options.</param>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="bind">Reads the options from the parse result; may throw <see cref="ArgumentException"/>.</param>
    /// <param name="options">The bound options when the sample should run.</param>
    /// <returns><see langword="null"/> when the sample should run; otherwise the process exit code.</returns>
    public static int? TryParse<T>(RootCommand command, string[] args, Func<ParseResult, T> bind, out T? options)
    {
        ArgumentNullException.ThrowIfNull(command);
        options = default;
        ParseResult result = command.Parse(args);
        if (result.Errors.Count == 0 && result.Action is not null)
        {
            return result.Invoke(); // --help, -h, -?, --version: print and exit; the samples set no action of their own
        }

        try
        {
            options = Parse(command, args, bind);
            return null;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message} Run with --help for the options.");
            return 2;
        }
    }

    /// <summary>Checks the endpoint flags of a sample that can call an OpenAI-compatible server.</summary>
    /// <param name="endpoint">The <c>--endpoint</c> value, or <see langword="null"/> for the simulated model.</param>
    /// <param name="model">The <c>--model</c> value.</param>
    /// <exception cref="ArgumentException">The endpoint has no model, or is not an absolute http(s) URL (e.g. it has no scheme).</exception>
    public static void CheckEndpoint(string? endpoint, string? model)
    {
        if (endpoint is null)
        {
            return;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--endpoint '{endpoint}' is not an http(s) URL with a scheme, e.g. http://localhost:8000/v1.");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("--endpoint needs --model (or PROMPTKIT_MODEL).");
        }
    }

    private static int ParseInt(ArgumentResult result, string name, int defaultValue, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer from {min} to {max}; got '{text}'."));
        return defaultValue;
    }
}
