using System.Globalization;

namespace PromptKit.Samples;

/// <summary>How every sample ends on bad input or an unavailable model: one line on standard error and an exit code,
/// never a stack trace. Compiled into the samples that do not reference SampleSupport as a linked file (one source).</summary>
public static class SampleFailures
{
    /// <summary>The exit code for bad input: a flag, an output folder that cannot be written, missing data, a corrupt checkpoint or model file.</summary>
    public const int BadInput = 2;

    /// <summary>The exit code for a frozen model that stopped answering (the circuit breaker opened).</summary>
    public const int ModelUnavailable = 4;

    /// <summary>Makes an exception that escapes <c>Main</c> end the process with one line on standard error and its exit
    /// code (<see cref="Describe"/>), instead of a stack trace and exit code 134. Exceptions it does not know (bugs) keep
    /// the runtime's report.</summary>
    public static void ReportAsOneLine() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception && Describe(exception) is (int code, string line))
            {
                Console.Error.WriteLine(line);
                Environment.Exit(code);
            }
        };

    /// <summary>Describes an exception that ends a sample.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The exit code and the one line to print, or <see langword="null"/> for an exception that is a bug.</returns>
    public static (int ExitCode, string Line)? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception switch
        {
            ModelUnavailableException => (ModelUnavailable, $"error: {OneLine(exception.Message)} Check the endpoint (is the server up?); finished work is saved in the output folder."),
            UnauthorizedAccessException => (BadInput, $"error: permission denied: {OneLine(exception.Message)}"),
            DirectoryNotFoundException or FileNotFoundException => (BadInput, $"error: not found: {OneLine(exception.Message)}"),
            PromptKitException or InvalidDataException or IOException => (BadInput, $"error: {OneLine(exception.Message)}"),
            FormatException or OverflowException => (BadInput, $"error: a value is not a valid number: {OneLine(exception.Message)}"),
            _ => null,
        };
    }

    /// <summary>Creates the output folder and checks that a file can be written in it, before any work starts.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <returns><see langword="null"/> when the folder is ready; otherwise <see cref="BadInput"/> after one line on <paramref name="error"/>.</returns>
    public static int? PrepareOutputDirectory(string path, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(error);
        string probe = Path.Combine(path, $".write-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error.WriteLine($"error: the output folder '{path}' cannot be written ({OneLine(e.Message)}). Pass --out with a folder you can write to.");
            return BadInput;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
