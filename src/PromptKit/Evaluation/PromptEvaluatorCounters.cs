using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>The counters of one <see cref="PromptEvaluator"/>: thread-safe totals for <see cref="PromptEvaluatorStatistics"/> and the matching <see cref="Meter"/> instruments.</summary>
internal sealed class PromptEvaluatorCounters
{
    /// <summary>The name of the meter that publishes the evaluator's counters.</summary>
    internal const string MeterName = "PromptKit.Evaluation";

    /// <summary>The name of the tag that carries the <see cref="EvaluationStatus"/> on the results counter.</summary>
    internal const string StatusTagName = "promptkit.evaluation.status";

    private static readonly Meter SharedMeter = new(MeterName);

    private static readonly KeyValuePair<string, object?>[] StatusTags =
    [
        new(StatusTagName, "succeeded"),
        new(StatusTagName, "empty"),
        new(StatusTagName, "malformed"),
        new(StatusTagName, "failed"),
        new(StatusTagName, "timed_out"),
    ];

    private readonly Counter<long> _requestsCounter;
    private readonly Counter<long> _modelCallsCounter;
    private readonly Counter<long> _cacheHitsCounter;
    private readonly Counter<long> _retriesCounter;
    private readonly Counter<long> _failedAttemptsCounter;
    private readonly Counter<long> _timedOutAttemptsCounter;
    private readonly Counter<long> _circuitBreaksCounter;
    private readonly Counter<long> _resultsCounter;
    private readonly Counter<long> _inputTokensCounter;
    private readonly Counter<long> _outputTokensCounter;
    private readonly Counter<long> _totalTokensCounter;

    private long _requests;
    private long _modelCalls;
    private long _cacheHits;
    private long _retries;
    private long _failedAttempts;
    private long _timedOutAttempts;
    private long _circuitBreaks;
    private long _circuitRejections;
    private readonly Lock _statusLock = new();
    private readonly SortedDictionary<int, long> _failedByStatus = [];
    private long _succeeded;
    private long _empty;
    private long _malformed;
    private long _failures;
    private long _timedOut;
    private long _inputTokens;
    private long _outputTokens;
    private long _totalTokens;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _inFlightLock = new();
    private int _inFlight;
    private int _peakInFlight;
    private long _busySince;
    private long _busyTicks;

    /// <summary>Initializes a new instance of the <see cref="PromptEvaluatorCounters"/> class.</summary>
    /// <param name="meterFactory">The factory that creates the meter, or <see langword="null"/> to use a process-wide meter.</param>
    /// <param name="timeProvider">The time source of the busy time, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public PromptEvaluatorCounters(IMeterFactory? meterFactory, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        Meter meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? SharedMeter;
        _requestsCounter = meter.CreateCounter<long>("promptkit.evaluation.requests", "{request}", "Requests passed to the prompt evaluator.");
        _modelCallsCounter = meter.CreateCounter<long>("promptkit.evaluation.model_calls", "{call}", "Calls made to the chat client, retries included.");
        _cacheHitsCounter = meter.CreateCounter<long>("promptkit.evaluation.cache_hits", "{request}", "Requests answered from the response cache.");
        _retriesCounter = meter.CreateCounter<long>("promptkit.evaluation.retries", "{retry}", "Retries after transient faults.");
        _failedAttemptsCounter = meter.CreateCounter<long>("promptkit.evaluation.failed_attempts", "{call}", "Model calls that threw, tagged with http.response.status_code (0: no HTTP status).");
        _timedOutAttemptsCounter = meter.CreateCounter<long>("promptkit.evaluation.timed_out_attempts", "{call}", "Model calls cut off by the per-call timeout.");
        _circuitBreaksCounter = meter.CreateCounter<long>("promptkit.evaluation.circuit_breaks", "{break}", "Times the circuit breaker stopped calls to the model.");
        _resultsCounter = meter.CreateCounter<long>("promptkit.evaluation.results", "{request}", "Requests that returned a result, tagged with promptkit.evaluation.status.");
        _inputTokensCounter = meter.CreateCounter<long>("promptkit.evaluation.input_tokens", "{token}", "Input tokens reported by the model.");
        _outputTokensCounter = meter.CreateCounter<long>("promptkit.evaluation.output_tokens", "{token}", "Output tokens reported by the model.");
        _totalTokensCounter = meter.CreateCounter<long>("promptkit.evaluation.total_tokens", "{token}", "Total tokens reported by the model.");
    }

    public void AddRequest()
    {
        Interlocked.Increment(ref _requests);
        _requestsCounter.Add(1);
    }

    public void AddModelCall()
    {
        Interlocked.Increment(ref _modelCalls);
        _modelCallsCounter.Add(1);
    }

    /// <summary>Records that a model call starts: one more call in flight.</summary>
    public void CallStarted()
    {
        lock (_inFlightLock)
        {
            if (_inFlight++ == 0)
            {
                _busySince = _timeProvider.GetTimestamp();
            }

            if (_inFlight > _peakInFlight)
            {
                _peakInFlight = _inFlight;
            }
        }
    }

    /// <summary>Records that a model call ended; the time with at least one call in flight grows when the last one ends.</summary>
    public void CallEnded()
    {
        lock (_inFlightLock)
        {
            if (--_inFlight == 0)
            {
                _busyTicks += _timeProvider.GetElapsedTime(_busySince).Ticks;
            }
        }
    }

    public void AddCacheHit()
    {
        Interlocked.Increment(ref _cacheHits);
        _cacheHitsCounter.Add(1);
    }

    public void AddRetry()
    {
        Interlocked.Increment(ref _retries);
        _retriesCounter.Add(1);
    }

    /// <summary>Records a model call that threw (not a timeout, not a cancellation by the caller).</summary>
    /// <param name="statusCode">The HTTP status the server answered, or 0 when there was none (no connection, a broken body).</param>
    public void AddFailedAttempt(int statusCode)
    {
        lock (_statusLock)
        {
            // Under the lock, with the dictionary: a snapshot's by-status values always add up to its FailedAttempts.
            _failedAttempts++;
            _failedByStatus[statusCode] = _failedByStatus.GetValueOrDefault(statusCode) + 1;
        }

        _failedAttemptsCounter.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));
    }

    /// <summary>Records a model call cut off by the per-call timeout.</summary>
    public void AddTimedOutAttempt()
    {
        Interlocked.Increment(ref _timedOutAttempts);
        _timedOutAttemptsCounter.Add(1);
    }

    /// <summary>Records that the circuit breaker opened.</summary>
    public void AddCircuitBreak()
    {
        Interlocked.Increment(ref _circuitBreaks);
        _circuitBreaksCounter.Add(1);
    }

    /// <summary>Records a request refused by the open circuit.</summary>
    public void AddCircuitRejection() => Interlocked.Increment(ref _circuitRejections);

    public void AddResult(EvaluationStatus status)
    {
        switch (status)
        {
            case EvaluationStatus.Succeeded:
                Interlocked.Increment(ref _succeeded);
                break;
            case EvaluationStatus.Empty:
                Interlocked.Increment(ref _empty);
                break;
            case EvaluationStatus.Malformed:
                Interlocked.Increment(ref _malformed);
                break;
            case EvaluationStatus.Failed:
                Interlocked.Increment(ref _failures);
                break;
            case EvaluationStatus.TimedOut:
                Interlocked.Increment(ref _timedOut);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, $"Unknown {nameof(EvaluationStatus)} value {(int)status}.");
        }

        _resultsCounter.Add(1, StatusTags[(int)status]);
    }

    public void AddUsage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return;
        }

        long input = usage.InputTokenCount ?? 0;
        long output = usage.OutputTokenCount ?? 0;
        long total = usage.TotalTokenCount ?? (input + output);
        Interlocked.Add(ref _inputTokens, input);
        Interlocked.Add(ref _outputTokens, output);
        Interlocked.Add(ref _totalTokens, total);
        _inputTokensCounter.Add(input);
        _outputTokensCounter.Add(output);
        _totalTokensCounter.Add(total);
    }

    public PromptEvaluatorStatistics Snapshot()
    {
        (long failed, ImmutableSortedDictionary<int, long> byStatus) = FailedByStatus();
        return new PromptEvaluatorStatistics
        {
            Requests = Interlocked.Read(ref _requests),
            ModelCalls = Interlocked.Read(ref _modelCalls),
            CacheHits = Interlocked.Read(ref _cacheHits),
            Retries = Interlocked.Read(ref _retries),
            FailedAttempts = failed,
            TimedOutAttempts = Interlocked.Read(ref _timedOutAttempts),
            FailedAttemptsByStatusCode = byStatus,
            CircuitBreaks = Interlocked.Read(ref _circuitBreaks),
            CircuitRejections = Interlocked.Read(ref _circuitRejections),
            Succeeded = Interlocked.Read(ref _succeeded),
            Empty = Interlocked.Read(ref _empty),
            Malformed = Interlocked.Read(ref _malformed),
            Failures = Interlocked.Read(ref _failures),
            TimedOut = Interlocked.Read(ref _timedOut),
            InputTokens = Interlocked.Read(ref _inputTokens),
            OutputTokens = Interlocked.Read(ref _outputTokens),
            TotalTokens = Interlocked.Read(ref _totalTokens),
            ModelBusyTime = BusyTime(),
            PeakCallsInFlight = Volatile.Read(ref _peakInFlight),
        };
    }

    /// <summary>Reads the failed attempts and their split by HTTP status together, so that the split adds up to the total.</summary>
    private (long Failed, ImmutableSortedDictionary<int, long> ByStatus) FailedByStatus()
    {
        lock (_statusLock)
        {
            return (_failedAttempts, _failedByStatus.ToImmutableSortedDictionary());
        }
    }

    private TimeSpan BusyTime()
    {
        lock (_inFlightLock)
        {
            long ticks = _busyTicks;
            if (_inFlight > 0)
            {
                ticks += _timeProvider.GetElapsedTime(_busySince).Ticks;
            }

            return TimeSpan.FromTicks(ticks);
        }
    }
}
