using System.Net;
using FluentAssertions;
using Microsoft.Extensions.AI;
using Xunit;

namespace PromptKit.Tests.Evaluation;

/// <summary>The evaluator's circuit breaker and its per-attempt fault counters (failed attempts by HTTP status, timeouts).</summary>
public sealed class PromptEvaluatorFaultCountingTests
{
    private static readonly ChatMessage[] Request = [new(ChatRole.User, "rank these")];

    [Fact]
    public async Task EvaluateAsync_ModelUnreachable_OpensTheCircuitAndThrowsModelUnavailable()
    {
        var client = new FakeChatClient(call => Task.FromException<ChatResponse>(new HttpRequestException("Connection refused (127.0.0.1:9)")));
        using var evaluator = new PromptEvaluator(client, FastOptions(minimumCalls: 4));

        // Two requests of three attempts each: the fourth failed attempt opens the circuit, so the second request's
        // retry is refused instead of calling the model.
        PromptEvaluation first = await evaluator.EvaluateAsync(Request);
        Func<Task> second = () => evaluator.EvaluateAsync([new(ChatRole.User, "another")]);

        first.Status.Should().Be(EvaluationStatus.Failed);
        (await second.Should().ThrowAsync<ModelUnavailableException>())
            .Which.Message.Should().Contain("unavailable").And.Contain("Connection refused");
        PromptEvaluatorStatistics stats = evaluator.Statistics;
        stats.CircuitBreaks.Should().Be(1);
        stats.CircuitRejections.Should().Be(1);
        stats.ModelCalls.Should().Be(4);
        stats.FailedAttempts.Should().Be(4);
        stats.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [0] = 4 });
        stats.Failures.Should().Be(1, "the refused request is not reported as a failed evaluation");
    }

    [Fact]
    public async Task EvaluateAsync_FailuresBelowTheRatio_NeverOpenTheCircuit()
    {
        // Every fourth attempt fails with 503 and is retried: a quarter of the calls fail, below the 0.5 ratio.
        var client = new FakeChatClient(call => call.Index % 4 == 0
            ? Task.FromException<ChatResponse>(new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable))
            : Task.FromResult(FakeChatClient.Response("ok")));
        using var evaluator = new PromptEvaluator(client, FastOptions(minimumCalls: 4));

        for (int i = 0; i < 20; i++)
        {
            (await evaluator.EvaluateAsync([new(ChatRole.User, $"request {i}")])).Status.Should().Be(EvaluationStatus.Succeeded);
        }

        PromptEvaluatorStatistics stats = evaluator.Statistics;
        stats.CircuitBreaks.Should().Be(0);
        stats.FailedAttempts.Should().Be(client.CallCount - 20);
        stats.Retries.Should().Be(stats.FailedAttempts);
        stats.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [503] = stats.FailedAttempts });
    }

    [Fact]
    public async Task EvaluateAsync_ClientErrorStatus_IsCountedAndNotRetried()
    {
        var client = new FakeChatClient(call => Task.FromException<ChatResponse>(new HttpRequestException("no such model", null, HttpStatusCode.NotFound)));
        using var evaluator = new PromptEvaluator(client, FastOptions(minimumCalls: 100));

        PromptEvaluation result = await evaluator.EvaluateAsync(Request);

        result.Status.Should().Be(EvaluationStatus.Failed);
        result.Attempts.Should().Be(1);
        evaluator.Statistics.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [404] = 1 });
        evaluator.Statistics.Retries.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_AttemptRunsOutOfTime_IsCountedAsATimedOutAttemptNotAFailedOne()
    {
        var client = new FakeChatClient(async call =>
        {
            if (call.Index == 0)
            {
                await Task.Delay(Timeout.Infinite, call.CancellationToken);
            }

            return FakeChatClient.Response("ok");
        });
        PromptEvaluatorOptions options = FastOptions(minimumCalls: 100);
        options.Timeout = TimeSpan.FromMilliseconds(50);
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request);

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        result.Attempts.Should().Be(2);
        evaluator.Statistics.TimedOutAttempts.Should().Be(1);
        evaluator.Statistics.FailedAttempts.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_CallerCancels_CountsNoFailedAttemptAndNeverOpensTheCircuit()
    {
        // Ten cancelled calls, five times the breaker's minimum: were they failures, the circuit would open.
        var client = new FakeChatClient(async call =>
        {
            if (call.Index < 10)
            {
                await Task.Delay(Timeout.Infinite, call.CancellationToken);
            }

            return FakeChatClient.Response("ok");
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(minimumCalls: 2));

        for (int i = 0; i < 10; i++)
        {
            using var cancellation = new CancellationTokenSource();
            Task<PromptEvaluation> call = evaluator.EvaluateAsync([new(ChatRole.User, $"r{i}")], cancellationToken: cancellation.Token);
            await client.WaitForCallsAsync(i + 1);
            await cancellation.CancelAsync();
            Func<Task> act = () => call;
            await act.Should().ThrowAsync<OperationCanceledException>();
        }

        (await evaluator.EvaluateAsync(Request)).Status.Should().Be(EvaluationStatus.Succeeded, "the circuit is still closed");
        evaluator.Statistics.FailedAttempts.Should().Be(0);
        evaluator.Statistics.TimedOutAttempts.Should().Be(0);
        evaluator.Statistics.CircuitBreaks.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_BudgetRefusals_NeverOpenTheCircuit()
    {
        FakeChatClient client = FakeChatClient.Echo();
        PromptEvaluatorOptions options = FastOptions(minimumCalls: 2);
        options.Budget = new CallBudget(maxCalls: 1);
        using var evaluator = new PromptEvaluator(client, options);
        (await evaluator.EvaluateAsync(Request)).Status.Should().Be(EvaluationStatus.Succeeded);

        // Were the refusals failures, the circuit would open after two and the rest would be ModelUnavailableException.
        for (int i = 0; i < 10; i++)
        {
            Func<Task> act = () => evaluator.EvaluateAsync([new(ChatRole.User, $"r{i}")]);
            await act.Should().ThrowExactlyAsync<CallBudgetExceededException>();
        }

        evaluator.Statistics.CircuitBreaks.Should().Be(0);
        evaluator.Statistics.CircuitRejections.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_CircuitBreakerOff_ReportsEveryFailureAsAResult()
    {
        var client = new FakeChatClient(call => Task.FromException<ChatResponse>(new HttpRequestException("down")));
        PromptEvaluatorOptions options = FastOptions(minimumCalls: 2);
        options.CircuitBreakerFailureRatio = null;
        using var evaluator = new PromptEvaluator(client, options);

        for (int i = 0; i < 5; i++)
        {
            (await evaluator.EvaluateAsync([new(ChatRole.User, $"r{i}")])).Status.Should().Be(EvaluationStatus.Failed);
        }

        evaluator.Statistics.CircuitBreaks.Should().Be(0);
        evaluator.Statistics.FailedAttempts.Should().Be(15);
    }

    [Theory]
    [InlineData(200, 200)]
    [InlineData(-5, 0)]
    [InlineData(60_000, 300)]
    public async Task EvaluateAsync_RetryAfterHint_RetryWaitsItCappedAtMaxRetryDelay(int hintMs, int expectedMs)
    {
        var client = new FakeChatClient(call => call.Index == 0
            ? Task.FromException<ChatResponse>(new HttpRequestException("slow down", null, HttpStatusCode.TooManyRequests))
            : Task.FromResult(FakeChatClient.Response("ok")));
        PromptEvaluatorOptions options = FastOptions(minimumCalls: 100);
        options.MaxRetryDelay = TimeSpan.FromMilliseconds(300);
        options.RetryAfter = e => e is HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } ? TimeSpan.FromMilliseconds(hintMs) : null;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var evaluator = new PromptEvaluator(client, options, time);

        Task<PromptEvaluation> call = evaluator.EvaluateAsync(Request);
        await client.WaitForCallsAsync(1);
        if (expectedMs > 0)
        {
            await Task.Delay(50);
            time.Advance(TimeSpan.FromMilliseconds(expectedMs - 1));
            await Task.Delay(50);
            client.CallCount.Should().Be(1, "the retry waits the whole delay the server asked for");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).Status.Should().Be(EvaluationStatus.Succeeded);
        client.CallCount.Should().Be(2);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Constructor_FailureRatioOutOfRange_ThrowsNamingIt(double ratio)
    {
        Action act = () => _ = new PromptEvaluator(FakeChatClient.Echo(), new PromptEvaluatorOptions { CircuitBreakerFailureRatio = ratio });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*CircuitBreakerFailureRatio*");
    }

    [Fact]
    public void Constructor_WindowTooShort_ThrowsNamingIt()
    {
        Action act = () => _ = new PromptEvaluator(FakeChatClient.Echo(), new PromptEvaluatorOptions { CircuitBreakerWindow = TimeSpan.FromMilliseconds(100) });

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*CircuitBreakerWindow*");
    }

    /// <summary>Options for breaker tests: one call at a time, two retries without delay, no cache, a 5-minute window.</summary>
    internal static PromptEvaluatorOptions FastOptions(int minimumCalls) => new()
    {
        MaxConcurrency = 1,
        MaxRetryAttempts = 2,
        RetryBaseDelay = TimeSpan.Zero,
        MaxRetryDelay = TimeSpan.Zero,
        UseCache = false,
        CircuitBreakerMinimumCalls = minimumCalls,
        CircuitBreakerWindow = TimeSpan.FromMinutes(5),
    };
}
