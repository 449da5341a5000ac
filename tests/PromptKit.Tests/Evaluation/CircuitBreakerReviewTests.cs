using System.Net;
using FluentAssertions;
using Microsoft.Extensions.AI;
using Xunit;

namespace PromptKit.Tests.Evaluation;

/// <summary>The circuit breaker against a hanging model, client errors, batches, the public resilience stage, and the fault counters' consistency.</summary>
public sealed class CircuitBreakerReviewTests
{
    [Fact]
    public async Task A_hanging_model_opens_the_circuit_in_bounded_time()
    {
        // Two attempts in flight, each cut off after 200 ms: a 0.5 s window holds the timeouts of at most three rounds
        // (at 0.2, 0.4 and 0.6 s), six attempts, fewer than the ten the breaker needs, unless the window is stretched.
        FakeChatClient client = Hanging();
        PromptEvaluatorOptions options = Fast(minimumCalls: 10);
        options.MaxConcurrency = 2;
        options.Timeout = TimeSpan.FromMilliseconds(200);
        options.CircuitBreakerWindow = TimeSpan.FromSeconds(0.5);
        using var evaluator = new PromptEvaluator(client, options);
        IReadOnlyList<ChatMessage>[] requests = [.. Enumerable.Range(0, 30).Select(i => Ask($"r{i}"))];

        Func<Task> batch = () => evaluator.EvaluateManyAsync(requests).WaitAsync(TimeSpan.FromSeconds(15));

        (await batch.Should().ThrowAsync<ModelUnavailableException>()).Which.Message.Should().Contain("timeout");
        evaluator.Statistics.CircuitBreaks.Should().Be(1);
        evaluator.Statistics.TimedOutAttempts.Should().BeLessThan(20, "the circuit opened long before the batch ran out");
    }

    [Fact]
    public async Task The_message_names_the_timeout_when_timeouts_opened_the_circuit()
    {
        FakeChatClient client = Hanging();
        PromptEvaluatorOptions options = Fast(minimumCalls: 2);
        options.Timeout = TimeSpan.FromMilliseconds(50);
        using var evaluator = new PromptEvaluator(client, options);

        Func<Task> act = () => evaluator.EvaluateAsync(Ask("q"));

        ModelUnavailableException refused = (await act.Should().ThrowAsync<ModelUnavailableException>()).Which;
        refused.Message.Should().Contain("ran out of their 0.05 s timeout");
        refused.InnerException.Should().BeOfType<Polly.Timeout.TimeoutRejectedException>();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(400)]
    [InlineData(413)]
    [InlineData(422)]
    public async Task Throttling_and_request_errors_do_not_open_the_circuit(int status)
    {
        var client = new FakeChatClient(_ => Task.FromException<ChatResponse>(new HttpRequestException("refused", null, (HttpStatusCode)status)));
        using var evaluator = new PromptEvaluator(client, Fast(minimumCalls: 2));

        for (int i = 0; i < 6; i++)
        {
            (await evaluator.EvaluateAsync(Ask($"r{i}"))).Status.Should().Be(EvaluationStatus.Failed);
        }

        PromptEvaluatorStatistics stats = evaluator.Statistics;
        stats.CircuitBreaks.Should().Be(0);
        stats.FailedAttempts.Should().Be(client.CallCount, "they are still counted as failed attempts");
        stats.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [status] = client.CallCount });
        stats.Retries.Should().Be(status == 429 ? 12 : 0, "429 is still retried, the others still are not");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Outage_statuses_still_open_the_circuit(int status)
    {
        var client = new FakeChatClient(_ => Task.FromException<ChatResponse>(new HttpRequestException("down", null, (HttpStatusCode)status)));
        using var evaluator = new PromptEvaluator(client, Fast(minimumCalls: 2));

        Func<Task> act = async () =>
        {
            for (int i = 0; i < 6; i++)
            {
                await evaluator.EvaluateAsync(Ask($"r{i}"));
            }
        };

        await act.Should().ThrowAsync<ModelUnavailableException>();
        evaluator.Statistics.CircuitBreaks.Should().Be(1);
    }

    [Fact]
    public async Task An_open_circuit_in_a_batch_lets_the_calls_in_flight_finish_and_reach_the_cache()
    {
        // Every call is slow: the two failing requests fail after 200 ms and open the circuit (their retries are
        // refused), while the two healthy ones are still in flight; those must finish instead of being cancelled.
        var finished = new System.Collections.Concurrent.ConcurrentBag<string>();
        var client = new FakeChatClient(async call =>
        {
            if (call.LastText.StartsWith("bad", StringComparison.Ordinal))
            {
                await Task.Delay(200, call.CancellationToken);
                throw new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable);
            }

            await Task.Delay(1500, call.CancellationToken);
            finished.Add(call.LastText);
            return FakeChatClient.Response("ok: " + call.LastText);
        });
        PromptEvaluatorOptions options = Fast(minimumCalls: 2);
        options.MaxConcurrency = 4;
        options.UseCache = true;
        using var evaluator = new PromptEvaluator(client, options);

        Func<Task> batch = () => evaluator.EvaluateManyAsync([Ask("bad 1"), Ask("good 1"), Ask("bad 2"), Ask("good 2")]);

        await batch.Should().ThrowAsync<ModelUnavailableException>();
        finished.Should().BeEquivalentTo(["good 1", "good 2"], "the calls in flight finish instead of being cancelled");
        foreach (string paid in finished)
        {
            (await evaluator.EvaluateAsync(Ask(paid))).FromCache.Should().BeTrue($"the answer to '{paid}' was kept");
        }
    }

    [Fact]
    public async Task UsePromptKitResilience_open_circuit_throws_ModelUnavailable_shared_by_every_client_of_the_builder()
    {
        using var inner = new FakeChatClient(_ => Task.FromException<ChatResponse>(new HttpRequestException("Connection refused")));
        ChatClientBuilder builder = inner.AsBuilder().UsePromptKitResilience(Fast(minimumCalls: 2));
        using IChatClient first = builder.Build();
        using IChatClient second = builder.Build();

        // The first call's two failed attempts open the circuit; its last retry and the other client's call are refused.
        Func<Task> one = () => first.GetResponseAsync(Ask("a"));
        Func<Task> two = () => second.GetResponseAsync(Ask("b"));

        (await one.Should().ThrowAsync<ModelUnavailableException>()).Which.Message.Should().Contain("Connection refused");
        await two.Should().ThrowAsync<ModelUnavailableException>();
        inner.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task A_null_response_counts_as_a_failed_attempt()
    {
        var client = new FakeChatClient(_ => Task.FromResult<ChatResponse>(null!));
        using var evaluator = new PromptEvaluator(client, Fast(minimumCalls: 100));

        PromptEvaluation result = await evaluator.EvaluateAsync(Ask("q"));

        result.Status.Should().Be(EvaluationStatus.Failed);
        PromptEvaluatorStatistics stats = evaluator.Statistics;
        stats.ModelCalls.Should().Be(1);
        stats.FailedAttempts.Should().Be(1, "every model call ends in one counter");
        stats.FailedAttemptsByStatusCode.Should().Equal(new Dictionary<int, long> { [0] = 1 });
    }

    [Fact]
    public async Task Snapshots_taken_while_failures_are_counted_always_add_up()
    {
        var counters = new PromptEvaluatorCounters(meterFactory: null);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        Task[] writers = [.. Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                counters.AddFailedAttempt(500 + w);
            }
        }))];

        long broken = 0;
        int snapshots = 0;
        while (!stop.IsCancellationRequested)
        {
            PromptEvaluatorStatistics stats = counters.Snapshot();
            snapshots++;
            if (stats.FailedAttemptsByStatusCode.Values.Sum() != stats.FailedAttempts)
            {
                broken++;
            }
        }

        await Task.WhenAll(writers);
        snapshots.Should().BeGreaterThan(0);
        broken.Should().Be(0, $"{snapshots} snapshots were taken");
    }

    private static ChatMessage[] Ask(string text) => [new(ChatRole.User, text)];

    private static PromptEvaluatorOptions Fast(int minimumCalls) => PromptEvaluatorFaultCountingTests.FastOptions(minimumCalls);

    /// <summary>A model that never answers; each call ends only when its token is cancelled.</summary>
    private static FakeChatClient Hanging() => new(async call =>
    {
        await Task.Delay(Timeout.Infinite, call.CancellationToken);
        return FakeChatClient.Response("never");
    });
}
