using System.Globalization;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PromptKit;

/// <summary>Remembers the failure that opened PromptKit's circuit breaker and turns Polly's <see cref="BrokenCircuitException"/>
/// into a <see cref="ModelUnavailableException"/> that says why; one instance per pipeline (one breaker state).</summary>
/// <param name="options">The validated options the pipeline was built from.</param>
internal sealed class CircuitBreakerReport(PromptEvaluatorOptions options)
{
    private readonly double _ratio = options.CircuitBreakerFailureRatio ?? 1;
    private readonly int _minimumCalls = options.CircuitBreakerMinimumCalls;
    private readonly TimeSpan _window = PromptKitResilience.SamplingDuration(options);
    private readonly TimeSpan _timeout = options.Timeout;
    private Exception? _cause;

    /// <summary>Gets the window over which the failure share is judged.</summary>
    public TimeSpan Window => _window;

    /// <summary>Gets the share of failed attempts that opens the circuit.</summary>
    public double Ratio => _ratio;

    /// <summary>Records the failure that opened the circuit (Polly's <c>OnOpened</c> outcome).</summary>
    /// <param name="cause">The fault, or <see langword="null"/> when Polly gave none.</param>
    public void Opened(Exception? cause)
    {
        if (cause is not null)
        {
            Volatile.Write(ref _cause, cause);
        }
    }

    /// <summary>Creates the exception for a call the open circuit refused.</summary>
    /// <param name="exception">Polly's refusal.</param>
    /// <returns>The exception; its inner exception is the failure that opened the circuit.</returns>
    public ModelUnavailableException Unavailable(BrokenCircuitException exception)
    {
        Exception last = Volatile.Read(ref _cause) ?? exception;
        string reason = last is TimeoutRejectedException
            ? string.Create(CultureInfo.InvariantCulture, $"calls ran out of their {_timeout.TotalSeconds:0.###} s timeout")
            : last.Message.TrimEnd();
        if (!reason.EndsWith('.'))
        {
            reason += ".";
        }

        return new ModelUnavailableException(
            string.Create(
                CultureInfo.InvariantCulture,
                $"The frozen model is unavailable: {_ratio:P0} or more of at least {_minimumCalls} calls in {_window.TotalSeconds:0.###} s failed; the last failure: {reason}"),
            last);
    }
}
