using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using NeoSmart.Caching.Sqlite;

namespace PromptKit.Samples;

/// <summary>What the shared model-call flags (<see cref="ModelCallFlags"/>) asked for, and how a sample applies it:
/// the evaluator's concurrency and chat options, the call budget, the response cache and the consent to start.</summary>
public sealed class ModelCallSettings
{
    /// <summary>Above this many estimated calls, a run against an endpoint asks before it starts.</summary>
    public const long ConfirmAbove = 1_000;

    /// <summary>The name of the default SQLite response cache in the output folder.</summary>
    public const string DefaultCacheFile = "response-cache.sqlite";

    /// <summary>Gets the calls in flight, or <see langword="null"/> for the sample's default.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Gets the temperature, or <see langword="null"/> for the default (0 against an endpoint, unset simulated).</summary>
    public double? Temperature { get; init; }

    /// <summary>Gets top-p, or <see langword="null"/> for the server's.</summary>
    public double? TopP { get; init; }

    /// <summary>Gets the most output tokens per answer, or <see langword="null"/> for the server's.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the hard budget of calls, or <see langword="null"/> for none.</summary>
    public int? MaxCalls { get; init; }

    /// <summary>Gets the hard budget of tokens, or <see langword="null"/> for none.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Gets the share of failed calls in a window that stops the run, or <see langword="null"/> for the evaluator's default (0.5).</summary>
    public double? MaxFailureShare { get; init; }

    /// <summary>Gets a value indicating whether a large run may start without asking.</summary>
    public bool Yes { get; init; }

    /// <summary>Gets the cache specification (a SQLite path, <c>redis://HOST:PORT</c>, <c>memory</c> or <c>none</c>), or <see langword="null"/> for the default.</summary>
    public string? Cache { get; init; }

    /// <summary>Gets the calls in flight for a run.</summary>
    /// <param name="realModel">Whether the run calls an endpoint.</param>
    /// <returns>The flag's value, or 4 against an endpoint and 8 simulated.</returns>
    public int ResolveConcurrency(bool realModel) => Concurrency ?? (realModel ? 4 : 8);

    /// <summary>Creates the chat options of every request.</summary>
    /// <param name="realModel">Whether the run calls an endpoint (then the temperature defaults to 0).</param>
    /// <param name="forceTemperatureZero">Whether the sample always sets temperature 0 when the flag is absent.</param>
    /// <returns>The options, or <see langword="null"/> when nothing is set (a simulated run without flags).</returns>
    public ChatOptions? CreateChatOptions(bool realModel, bool forceTemperatureZero = false)
    {
        double? temperature = Temperature ?? (realModel || forceTemperatureZero ? 0 : null);
        if (temperature is null && TopP is null && MaxOutputTokens is null)
        {
            return null;
        }

        return new ChatOptions
        {
            Temperature = (float?)temperature,
            TopP = (float?)TopP,
            MaxOutputTokens = MaxOutputTokens,
        };
    }

    /// <summary>Applies the failure share to the evaluator's options (its circuit breaker).</summary>
    /// <param name="options">The evaluator's options.</param>
    /// <returns><paramref name="options"/>.</returns>
    public PromptEvaluatorOptions ApplyFailureShare(PromptEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (MaxFailureShare is double share)
        {
            options.CircuitBreakerFailureRatio = share;
        }

        return options;
    }

    /// <summary>Describes what the frozen-model calls of a run did: attempts, retries, failed attempts by HTTP status,
    /// timeouts, circuit breaks, cache hits and how the requests ended. PromptKit's pipeline is the only retry layer
    /// (<see cref="OpenAIModelClient"/> turns the SDK's off), so these are all the calls that were made.</summary>
    /// <param name="stats">The evaluator's statistics.</param>
    /// <returns>One line.</returns>
    public static string DescribeCalls(PromptEvaluatorStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        string byStatus = stats.FailedAttemptsByStatusCode.Count == 0
            ? "none"
            : string.Join(", ", stats.FailedAttemptsByStatusCode.Select(p => p.Key == 0 ? $"{p.Value} without an HTTP status" : $"{p.Value} HTTP {p.Key}"));
        long failedRequests = stats.Failures + stats.TimedOut + stats.Empty + stats.Malformed;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Model calls {stats.ModelCalls:N0} (retries {stats.Retries:N0}; failed attempts {stats.FailedAttempts:N0}: {byStatus}; timed-out attempts {stats.TimedOutAttempts:N0}; circuit breaks {stats.CircuitBreaks}), cache hits {stats.CacheHits:N0}; requests {stats.Requests:N0}: {stats.Succeeded:N0} answered, {failedRequests:N0} without a usable answer (failed {stats.Failures:N0}, timed out {stats.TimedOut:N0}, empty {stats.Empty:N0}, malformed {stats.Malformed:N0}).");
    }

    /// <summary>Creates the hard budget.</summary>
    /// <returns>The budget, or <see langword="null"/> when neither <c>--max-calls</c> nor <c>--max-tokens</c> is set.</returns>
    public CallBudget? CreateBudget() => MaxCalls is null && MaxTokens is null ? null : new CallBudget(MaxCalls, MaxTokens);

    /// <summary>Opens the response cache, or writes why it cannot be opened to standard error and returns <see langword="null"/> (the caller exits with code 2).</summary>
    public ResponseCache? OpenCacheOrReport(string outputDirectory, bool realModel)
    {
        try
        {
            return OpenCache(outputDirectory, realModel);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }

    /// <summary>Opens the response cache that <c>--cache</c> names.</summary>
    /// <param name="outputDirectory">The run's output folder (home of the default SQLite file).</param>
    /// <param name="realModel">Whether the run calls an endpoint (then the default is a SQLite file; simulated, memory).</param>
    /// <returns>The cache; dispose it at the end of the run.</returns>
    /// <exception cref="ArgumentException">The specification is not understood, or the Redis server cannot be reached.</exception>
    public ResponseCache OpenCache(string outputDirectory, bool realModel)
    {
        string spec = Cache ?? (realModel ? Path.Combine(outputDirectory, DefaultCacheFile) : "memory");
        switch (spec)
        {
            case "none":
                return new ResponseCache(null, enabled: false, "none (every request calls the model)");
            case "memory":
                return new ResponseCache(null, enabled: true, "in memory (lost at exit)");
        }

        if (spec.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            string configuration = spec["redis://".Length..];
            if (configuration.Length == 0)
            {
                throw new ArgumentException("--cache redis:// needs a host and port, e.g. redis://localhost:6379.");
            }

            var redis = new RedisCache(new RedisCacheOptions { Configuration = configuration, InstanceName = string.Empty });
            try
            {
                // One round trip now: an unreachable server is a clear error at start, not a silent run without a cache
                // that waits for a connect timeout on every call.
                _ = redis.Get("promptkit:probe");
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException or TimeoutException)
            {
                redis.Dispose();
                throw new ArgumentException($"--cache {spec}: the Redis server cannot be reached ({e.Message}).", e);
            }

            return new ResponseCache(redis, enabled: true, $"Redis at {configuration} (shared)");
        }

        SQLitePCL.Batteries_V2.Init(); // the native SQLite of SQLitePCLRaw.bundle_e_sqlite3; repeated calls do nothing
        string path = Path.GetFullPath(spec);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sqlite = new SqliteCache(new SqliteCacheOptions { CachePath = path, MemoryOnly = false });
        return new ResponseCache(sqlite, enabled: true, $"SQLite file {path} (persistent)");
    }

    /// <summary>Decides whether a run may start: a simulated or small run starts; a large run against an endpoint starts
    /// with <c>--yes</c> or a call budget, or after the user answers yes. It never waits for input that is not a terminal.</summary>
    /// <param name="estimate">The estimated frozen-model calls.</param>
    /// <param name="realModel">Whether the run calls an endpoint.</param>
    /// <param name="inputIsTerminal">Whether standard input is a terminal (<c>!Console.IsInputRedirected</c>).</param>
    /// <param name="input">Where the answer is read from.</param>
    /// <param name="output">Where the question and messages are written.</param>
    /// <returns><see langword="null"/> to start; otherwise the exit code (2: not a terminal and no consent; 1: the user said no).</returns>
    public int? ConfirmStart(long estimate, bool realModel, bool inputIsTerminal, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!realModel || estimate <= ConfirmAbove || Yes)
        {
            return null;
        }

        if (MaxCalls is int cap)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The run is capped at {cap:N0} frozen-model calls (--max-calls); it stops there, checkpointed, if the estimate of {estimate:N0} is reached."));
            return null;
        }

        if (!inputIsTerminal)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: the run would make about {estimate:N0} frozen-model calls, and standard input is not a terminal, so it cannot ask. Pass --yes to start it, or --max-calls N to cap it."));
            return 2;
        }

        output.Write(string.Create(CultureInfo.InvariantCulture, $"The run would make about {estimate:N0} frozen-model calls. Start? [y/N] "));
        string? answer = input.ReadLine()?.Trim();
        if (answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        output.WriteLine("Not started. Pass --max-calls N to cap the run, or lower its size (see --help).");
        return 1;
    }
}
