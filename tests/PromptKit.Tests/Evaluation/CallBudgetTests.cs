using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Evaluation;

public sealed class CallBudgetTests
{
    private static ChatMessage[] Ask(string text) => [new(ChatRole.User, text)];

    [Fact]
    public async Task Evaluator_refuses_the_call_after_the_budget_and_cancels_the_budget_token()
    {
        FakeChatClient client = FakeChatClient.Echo();
        var budget = new CallBudget(maxCalls: 3);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Budget = budget });

        for (int i = 0; i < 3; i++)
        {
            (await evaluator.EvaluateAsync(Ask($"q{i}"))).IsSuccess.Should().BeTrue();
        }

        budget.IsSpent.Should().BeFalse();
        Func<Task> fourth = () => evaluator.EvaluateAsync(Ask("q3"));
        CallBudgetExceededException thrown = (await fourth.Should().ThrowAsync<CallBudgetExceededException>()).Which;

        thrown.Budget.Should().BeSameAs(budget);
        thrown.CancellationToken.Should().Be(budget.Token);
        thrown.Message.Should().Contain("3 model calls");
        budget.IsSpent.Should().BeTrue();
        budget.Token.IsCancellationRequested.Should().BeTrue();
        budget.Calls.Should().Be(3);
        budget.RefusedCalls.Should().Be(1);
        client.CallCount.Should().Be(3);
        evaluator.Statistics.ModelCalls.Should().Be(3);
        evaluator.Statistics.Failures.Should().Be(0, "a refused call is a stop, not a failed evaluation");
    }

    [Fact]
    public async Task A_refusal_in_a_batch_lets_the_calls_in_flight_finish_and_reach_the_cache()
    {
        // Every call is slow, so whichever of the three is refused (the order in which concurrent calls take the budget is
        // the scheduler's), the two paid ones are still in flight when the refusal ends the batch.
        var finished = new System.Collections.Concurrent.ConcurrentBag<string>();
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(300, call.CancellationToken);
            finished.Add(call.LastText);
            return FakeChatClient.Response("ok: " + call.LastText);
        });
        var budget = new CallBudget(maxCalls: 2);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Budget = budget, MaxConcurrency = 3 });

        Func<Task> batch = () => evaluator.EvaluateManyAsync([Ask("first"), Ask("second"), Ask("third")]);

        await batch.Should().ThrowAsync<CallBudgetExceededException>();
        finished.Should().HaveCount(2, "the two paid calls finish instead of being canceled");
        foreach (string paid in finished)
        {
            (await evaluator.EvaluateAsync(Ask(paid))).FromCache.Should().BeTrue($"the answer to '{paid}' was kept");
        }
    }

    [Fact]
    public async Task Cache_hits_cost_nothing()
    {
        FakeChatClient client = FakeChatClient.Echo();
        var budget = new CallBudget(maxCalls: 1);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Budget = budget });

        for (int i = 0; i < 5; i++)
        {
            (await evaluator.EvaluateAsync(Ask("same"))).Text.Should().Be("echo: same");
        }

        budget.Calls.Should().Be(1);
        budget.IsSpent.Should().BeFalse();
        evaluator.Statistics.CacheHits.Should().Be(4);
    }

    [Fact]
    public async Task Each_retry_takes_a_call_and_the_refusal_is_not_retried()
    {
        var client = new FakeChatClient(_ => Task.FromException<ChatResponse>(new HttpRequestException("down")));
        var budget = new CallBudget(maxCalls: 2);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions
        {
            Budget = budget,
            MaxRetryAttempts = 5,
            RetryBaseDelay = TimeSpan.Zero,
            MaxRetryDelay = TimeSpan.Zero,
        });

        Func<Task> call = () => evaluator.EvaluateAsync(Ask("q"));

        await call.Should().ThrowAsync<CallBudgetExceededException>();
        client.CallCount.Should().Be(2);
        budget.RefusedCalls.Should().Be(1, "the refusal ends the request instead of being retried");
        evaluator.Statistics.Retries.Should().Be(2);
    }

    [Fact]
    public async Task Token_budget_is_spent_by_the_call_that_reaches_it()
    {
        FakeChatClient client = FakeChatClient.Echo(); // 15 tokens per call
        var budget = new CallBudget(maxTokens: 40);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Budget = budget });

        await evaluator.EvaluateAsync(Ask("a"));
        await evaluator.EvaluateAsync(Ask("b"));
        budget.IsSpent.Should().BeFalse();
        (await evaluator.EvaluateAsync(Ask("c"))).IsSuccess.Should().BeTrue("the call that crosses the limit has already been paid for");
        budget.IsSpent.Should().BeTrue();
        budget.Tokens.Should().Be(45);
        budget.SpentReason.Should().Contain("40 tokens");

        Func<Task> next = () => evaluator.EvaluateAsync(Ask("d"));
        await next.Should().ThrowAsync<CallBudgetExceededException>();
        client.CallCount.Should().Be(3);
    }

    [Fact]
    public async Task One_budget_is_shared_by_several_evaluators()
    {
        FakeChatClient first = FakeChatClient.Echo();
        FakeChatClient second = FakeChatClient.Echo();
        var budget = new CallBudget(maxCalls: 3);
        using var a = new PromptEvaluator(first, new PromptEvaluatorOptions { Budget = budget });
        using var b = new PromptEvaluator(second, new PromptEvaluatorOptions { Budget = budget });

        await a.EvaluateAsync(Ask("1"));
        await b.EvaluateAsync(Ask("2"));
        await a.EvaluateAsync(Ask("3"));
        Func<Task> fourth = () => b.EvaluateAsync(Ask("4"));

        await fourth.Should().ThrowAsync<CallBudgetExceededException>();
        (first.CallCount + second.CallCount).Should().Be(3);
    }

    [Fact]
    public async Task Concurrent_requests_never_exceed_the_budget()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(5);
            return FakeChatClient.Response("ok " + call.LastText);
        });
        var budget = new CallBudget(maxCalls: 10);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { Budget = budget, MaxConcurrency = 8 });

        Task<PromptEvaluation>[] tasks = [.. Enumerable.Range(0, 40).Select(i => evaluator.EvaluateAsync(Ask($"q{i}")))];
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (CallBudgetExceededException)
        {
        }

        tasks.Count(t => t.IsCompletedSuccessfully).Should().Be(10);
        tasks.Count(t => t.IsCanceled).Should().Be(30);
        client.CallCount.Should().Be(10);
    }

    [Fact]
    public void Limits_must_be_positive()
    {
        Action zeroCalls = () => _ = new CallBudget(maxCalls: 0);
        Action negativeTokens = () => _ = new CallBudget(maxTokens: -1);

        zeroCalls.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxCalls");
        negativeTokens.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxTokens");
        new CallBudget().IsSpent.Should().BeFalse();
    }

    [Fact]
    public async Task Statistics_report_peak_calls_in_flight_and_busy_time()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(40);
            return FakeChatClient.Response("ok " + call.LastText);
        });
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 4 });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await evaluator.EvaluateManyAsync([.. Enumerable.Range(0, 8).Select(i => (IReadOnlyList<ChatMessage>)Ask($"q{i}"))]);
        clock.Stop();

        PromptEvaluatorStatistics stats = evaluator.Statistics;
        stats.PeakCallsInFlight.Should().Be(4);
        stats.ModelBusyTime.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(70)).And.BeLessThanOrEqualTo(clock.Elapsed);
    }
}
