using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using PromptKit.Samples;
using PromptKit.TestUtilities.Faults;
using Xunit.Abstractions;

namespace PromptKit.Training.Tests.Faults;

/// <summary>The prompt evaluator against the loopback fault-injection server, through the real OpenAI client as the
/// samples create it (SDK retries off): every injected fault is counted where it happens, once.</summary>
public sealed class FaultInjectionEvaluatorTests(ITestOutputHelper output)
{
    private static readonly FaultKind[] AllKinds =
    [
        FaultKind.ServiceUnavailable, FaultKind.TooManyRequests, FaultKind.Hang, FaultKind.CloseMidBody, FaultKind.TruncatedJson,
        FaultKind.EmptyChoices, FaultKind.ContentFilter, FaultKind.GarbageText, FaultKind.SlowStream,
    ];

    [Fact]
    public async Task EvaluateManyAsync_ThirtyPercentFaultsOfEveryKind_CountsEachInjectedFaultOnce()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel(), new FaultInjectionServerOptions
        {
            Schedule = FaultSchedule.Random(0.3, seed: 11, AllKinds),
            HangLimit = TimeSpan.FromSeconds(5),
            SlowPieceDelay = TimeSpan.FromMilliseconds(200),
        });
        await WarmUpAsync();
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "fault-test");
        using var evaluator = new PromptEvaluator(client, Options(maxRetries: 10));
        IReadOnlyList<ChatMessage>[] requests = [.. Enumerable.Range(0, 200).Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage(ChatRole.User, $"question {i}")])];

        var clock = Stopwatch.StartNew();
        var results = await evaluator.EvaluateManyAsync(requests);
        PromptEvaluatorStatistics stats = evaluator.Statistics;
        Report(server, stats, clock.Elapsed);

        results.Should().HaveCount(200, "the run finishes");
        server.TotalInjected.Should().BeGreaterThan(50, "about 30% of some 250 attempts are faulted");
        long Status(int code) => stats.FailedAttemptsByStatusCode.GetValueOrDefault(code);
        Status(503).Should().Be(server.Injected(FaultKind.ServiceUnavailable));
        Status(429).Should().Be(server.Injected(FaultKind.TooManyRequests));
        // No status: a connection closed mid-body (retried), and bodies the SDK cannot read: truncated JSON and an empty
        // choices array (the OpenAI client throws on both; neither is retried, so each ends its request as Failed).
        Status(0).Should().Be(server.Injected(FaultKind.CloseMidBody) + server.Injected(FaultKind.TruncatedJson) + server.Injected(FaultKind.EmptyChoices));
        stats.Failures.Should().Be(server.Injected(FaultKind.TruncatedJson) + server.Injected(FaultKind.EmptyChoices));
        stats.TimedOutAttempts.Should().Be(server.Injected(FaultKind.Hang) + server.Injected(FaultKind.SlowStream));
        stats.Retries.Should().Be(
            server.Injected(FaultKind.ServiceUnavailable) + server.Injected(FaultKind.TooManyRequests) + server.Injected(FaultKind.CloseMidBody)
            + server.Injected(FaultKind.Hang) + server.Injected(FaultKind.SlowStream),
            "exactly the transient faults are retried");
        stats.Malformed.Should().Be(server.Injected(FaultKind.ContentFilter) + server.Injected(FaultKind.GarbageText));
        stats.ModelCalls.Should().Be(server.Requests, "every attempt reached the server once: no hidden retry below the counters");
        stats.Retries.Should().Be(stats.ModelCalls - 200, "each request's extra attempts are PromptKit's retries");
        stats.CircuitBreaks.Should().Be(0);
        (stats.Succeeded + stats.Empty + stats.Malformed + stats.Failures + stats.TimedOut).Should().Be(200);
        foreach (PromptEvaluation result in results.Where(r => r.IsSuccess))
        {
            result.Text.Should().StartWith("ANSWER:", "a success is the model's own answer, never a fallback");
        }
    }

    [Fact]
    public async Task EvaluateAsync_503OnTheFirstAttempt_SdkDoesNotRetryUnderneath()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel(), new FaultInjectionServerOptions
        {
            Schedule = FaultSchedule.From((_, attempt) => attempt == 0 ? FaultKind.ServiceUnavailable : FaultKind.None),
        });
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "fault-test");
        await WarmUpAsync();
        using var evaluator = new PromptEvaluator(client, Options(maxRetries: 0));

        PromptEvaluation result = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "one")]);

        result.Status.Should().Be(EvaluationStatus.Failed, "with PromptKit's retries off nothing else may retry");
        server.Requests.Should().Be(1);
        evaluator.Statistics.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [503] = 1 });
    }

    [Fact]
    public async Task EvaluateAsync_503WithRetryAfter_RetryWaitsWhatTheServerAsked()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel(), new FaultInjectionServerOptions
        {
            Schedule = FaultSchedule.From((_, attempt) => attempt == 0 ? FaultKind.ServiceUnavailable : FaultKind.None),
            RetryAfterSeconds = 1,
        });
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "fault-test");
        await WarmUpAsync();
        PromptEvaluatorOptions options = Options(maxRetries: 1);
        options.MaxRetryDelay = TimeSpan.FromSeconds(5);
        options.RetryAfter = OpenAIModelClient.RetryAfter;
        using var evaluator = new PromptEvaluator(client, options);

        var clock = Stopwatch.StartNew();
        PromptEvaluation result = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "after")]);

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95), "the backoff alone is 1-5 ms; Retry-After: 1 asks for a second");
        evaluator.Statistics.Retries.Should().Be(1);
    }

    [Fact]
    public async Task EvaluateAsync_ClosedPort_StopsWithModelUnavailableWithinSeconds()
    {
        Uri endpoint;
        await using (FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel()))
        {
            endpoint = server.Endpoint; // the port is closed once the server is gone
        }

        using IChatClient client = OpenAIModelClient.Create(endpoint, apiKey: null, "fault-test");
        PromptEvaluatorOptions options = Options(maxRetries: 3);
        options.CircuitBreakerFailureRatio = 0.5;
        using var evaluator = new PromptEvaluator(client, options);
        IReadOnlyList<ChatMessage>[] requests = [.. Enumerable.Range(0, 100).Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage(ChatRole.User, $"q{i}")])];

        var clock = Stopwatch.StartNew();
        Func<Task> act = () => evaluator.EvaluateManyAsync(requests);

        (await act.Should().ThrowAsync<ModelUnavailableException>()).Which.Message.Should().Contain("unavailable");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        evaluator.Statistics.FailedAttemptsByStatusCode.Keys.Should().Equal(0);
        evaluator.Statistics.CircuitBreaks.Should().Be(1);
    }

    [Fact]
    public async Task SlowStream_StreamingRequest_DeliversEveryPieceLate()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel(), new FaultInjectionServerOptions
        {
            Schedule = FaultSchedule.From((_, _) => FaultKind.SlowStream),
            SlowPieceDelay = TimeSpan.FromMilliseconds(40),
        });
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "fault-test");

        var clock = Stopwatch.StartNew();
        var text = new StringBuilder();
        int updates = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "stream me")]))
        {
            text.Append(update.Text);
            updates++;
        }

        text.ToString().Should().Be(AnswerModel.AnswerFor("stream me"));
        updates.Should().BeGreaterThan(3);
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(40 * 3));
        server.Injected(FaultKind.SlowStream).Should().Be(1);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"model":"m"}""")]
    public async Task Server_UnreadableRequest_Answers400AndDisposesCleanly(string body)
    {
        FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // Before the fix the handler threw (JsonException, KeyNotFoundException), the response stayed open and the call hung
        // until the client's timeout; DisposeAsync then rethrew the handler's exception.
        using HttpResponseMessage response = await http.PostAsync(new Uri(server.Endpoint + "/chat/completions"), new StringContent(body, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).Should().Be(400);
        server.TotalInjected.Should().Be(0);
        Func<Task> dispose = async () => await server.DisposeAsync();
        await dispose.Should().NotThrowAsync();
    }

    [Fact]
    public async Task Server_PastMaxRequests_Answers500AndCountsThem()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel(), new FaultInjectionServerOptions { MaxRequests = 1 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        const string Body = """{"model":"m","messages":[{"role":"user","content":"hello there"}]}""";

        using HttpResponseMessage first = await http.PostAsync(new Uri(server.Endpoint + "/chat/completions"), new StringContent(Body, Encoding.UTF8, "application/json"));
        using HttpResponseMessage second = await http.PostAsync(new Uri(server.Endpoint + "/chat/completions"), new StringContent(Body, Encoding.UTF8, "application/json"));

        ((int)first.StatusCode).Should().Be(200);
        ((int)second.StatusCode).Should().Be(500, "the accept loop keeps running past MaxRequests and refuses the extra request");
        server.Requests.Should().Be(2);
        server.OverLimit.Should().Be(1);
        server.Injected(FaultKind.None).Should().Be(1, "the refused request never reached the fault schedule");
    }

    /// <summary>One call through the OpenAI client first, so that start-up work (JIT, first connection) never counts as a timeout.</summary>
    internal static async Task WarmUpAsync()
    {
        await using FaultInjectionServer server = FaultInjectionServer.Start(new AnswerModel());
        using IChatClient client = OpenAIModelClient.Create(server.Endpoint, apiKey: null, "warm-up");
        _ = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "warm up")]);
    }

    private static PromptEvaluatorOptions Options(int maxRetries) => new()
    {
        MaxConcurrency = 8,
        MaxRetryAttempts = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        Timeout = TimeSpan.FromSeconds(1),
        UseCache = false,
        CircuitBreakerFailureRatio = 0.9,
        ResponseValidator = r => r.Text.StartsWith("ANSWER:", StringComparison.Ordinal),
    };

    private void Report(FaultInjectionServer server, PromptEvaluatorStatistics stats, TimeSpan elapsed)
    {
        foreach (FaultKind kind in Enum.GetValues<FaultKind>())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"injected {kind}: {server.Injected(kind)}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests {stats.Requests}, model calls {stats.ModelCalls}, retries {stats.Retries}, failed attempts {stats.FailedAttempts} ({string.Join(", ", stats.FailedAttemptsByStatusCode.Select(p => $"{p.Key}: {p.Value}"))}), timed-out attempts {stats.TimedOutAttempts}, succeeded {stats.Succeeded}, empty {stats.Empty}, malformed {stats.Malformed}, failed {stats.Failures}, timed out {stats.TimedOut}; {elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>A deterministic model: "ANSWER: " and the words of the last message in reverse.</summary>
    private sealed class AnswerModel : IChatClient
    {
        public static string AnswerFor(string question) => "ANSWER: " + string.Join(' ', question.Split(' ').Reverse()) + " and some more words to stream";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, AnswerFor(messages.Last().Text))));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
