using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace PromptKit.Tests.Evaluation;

public sealed class PromptEvaluatorTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Constructor_NullChatClient_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptEvaluator(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("chatClient");
    }

    [Fact]
    public void Constructor_SeveralInvalidOptions_ThrowsListingEveryFailure()
    {
        var options = new PromptEvaluatorOptions { MaxConcurrency = 0, Timeout = TimeSpan.FromSeconds(-1) };

        Action act = () => _ = new PromptEvaluator(FakeChatClient.Echo(), options);

        OptionsValidationException ex = act.Should().Throw<OptionsValidationException>().Which;
        ex.OptionsType.Should().Be<PromptEvaluatorOptions>();
        ex.Failures.Should().HaveCount(2);
        ex.Failures.Should().Contain(f => f.Contains("MaxConcurrency", StringComparison.Ordinal));
        ex.Failures.Should().Contain(f => f.Contains("Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvaluateAsync_NullMessages_ThrowsWithParamName()
    {
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo());

        Func<Task> act = () => evaluator.EvaluateAsync((IReadOnlyList<ChatMessage>)null!);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("messages");
    }

    [Fact]
    public async Task EvaluateAsync_EmptyMessages_ThrowsArgumentException()
    {
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo());

        Func<Task> act = () => evaluator.EvaluateAsync([]);

        (await act.Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("messages"))
            .WithMessage("*no messages*");
    }

    [Fact]
    public async Task EvaluateAsync_NullMessageInList_ThrowsNamingIndex()
    {
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo());

        Func<Task> act = () => evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q"), null!]);

        (await act.Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("messages"))
            .WithMessage("*index 1*");
    }

    [Fact]
    public async Task EvaluateManyAsync_NullRequests_ThrowsWithParamName()
    {
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo());

        Func<Task> act = () => evaluator.EvaluateManyAsync((IReadOnlyList<IReadOnlyList<ChatMessage>>)null!);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("requests");
    }

    [Fact]
    public async Task EvaluateManyAsync_NullRequestInList_ThrowsNamingIndexWithoutCalling()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client);

        Func<Task> act = () => evaluator.EvaluateManyAsync([Request("a"), null!]);

        (await act.Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("requests"))
            .WithMessage("*index 1*");
        client.CallCount.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateManyAsync_EmptyRequestInList_ThrowsNamingIndex()
    {
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo());

        Func<Task> act = () => evaluator.EvaluateManyAsync([Request("a"), []]);

        (await act.Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("requests"))
            .WithMessage("*index 1*no messages*");
    }

    [Fact]
    public async Task EvaluateManyAsync_NoRequests_ReturnsEmptyWithoutCalls()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client);

        var results = await evaluator.EvaluateManyAsync(Array.Empty<IReadOnlyList<ChatMessage>>());

        results.IsDefault.Should().BeFalse();
        results.Should().BeEmpty();
        client.CallCount.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_ModelAnswers_ReturnsSucceededWithTextAndUsage()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("hello"));

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        result.IsSuccess.Should().BeTrue();
        result.Text.Should().Be("echo: hello");
        result.Response!.ModelId.Should().Be("fake-model");
        result.Usage!.TotalTokenCount.Should().Be(15);
        result.Error.Should().BeNull();
        result.FromCache.Should().BeFalse();
        result.Attempts.Should().Be(1);
        client.Calls.Single().Messages.Select(m => m.Text).Should().Equal("Answer briefly.", "hello");
    }

    [Fact]
    public async Task EvaluateAsync_NoOptionsPassed_SendsDefaultChatOptions()
    {
        var client = FakeChatClient.Echo();
        var options = FastOptions();
        options.DefaultChatOptions = new ChatOptions { Temperature = 0.25f, ModelId = "m" };
        using var evaluator = new PromptEvaluator(client, options);

        await evaluator.EvaluateAsync(Request("q"));
        await evaluator.EvaluateAsync(Request("q2"), new ChatOptions { Temperature = 0.5f });

        FakeChatCall[] calls = [.. client.Calls];
        calls[0].Options!.Temperature.Should().Be(0.25f);
        calls[0].Options!.ModelId.Should().Be("m");
        calls[1].Options!.Temperature.Should().Be(0.5f);
        calls[1].Options!.ModelId.Should().BeNull();
    }

    [Fact]
    public async Task EvaluateManyAsync_ManyRequests_ReturnsResultsInInputOrder()
    {
        var random = new Random(7);
        int[] delays = [.. Enumerable.Range(0, 40).Select(_ => random.Next(0, 4))];
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(delays[int.Parse(call.LastText[1..], System.Globalization.CultureInfo.InvariantCulture)]);
            return FakeChatClient.Response("echo: " + call.LastText);
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 8));
        IReadOnlyList<ChatMessage>[] requests = [.. Enumerable.Range(0, 40).Select(i => Request("q" + i))];

        var results = await evaluator.EvaluateManyAsync(requests).WaitAsync(TestTimeout);

        results.Select(r => r.Text).Should().Equal(Enumerable.Range(0, 40).Select(i => "echo: q" + i));
        results.Should().OnlyContain(r => r.IsSuccess);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task EvaluateManyAsync_MoreRequestsThanBound_RunsExactlyBoundCallsAtOnce(int bound)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FakeChatClient(async call =>
        {
            await gate.Task;
            return FakeChatClient.Response("ok " + call.LastText);
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: bound));

        Task<System.Collections.Immutable.ImmutableArray<PromptEvaluation>> run =
            evaluator.EvaluateManyAsync([.. Enumerable.Range(0, 30).Select(i => Request("q" + i))]);
        await client.WaitForCallsAsync(bound);
        await Task.Delay(50);
        int startedBeforeRelease = client.CallCount;
        gate.SetResult();
        var results = await run.WaitAsync(TestTimeout);

        startedBeforeRelease.Should().Be(bound);
        client.MaxConcurrency.Should().Be(bound);
        client.CallCount.Should().Be(30);
        results.Should().HaveCount(30).And.OnlyContain(r => r.IsSuccess);
    }

    [Fact]
    public async Task EvaluateManyAsync_TwoConcurrentCallers_ShareOneGlobalBound()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(1);
            return FakeChatClient.Response("ok " + call.LastText);
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 2));

        var first = evaluator.EvaluateManyAsync([.. Enumerable.Range(0, 20).Select(i => Request("a" + i))]);
        var second = evaluator.EvaluateManyAsync([.. Enumerable.Range(0, 20).Select(i => Request("b" + i))]);
        await Task.WhenAll(first, second).WaitAsync(TestTimeout);

        client.MaxConcurrency.Should().BeLessThanOrEqualTo(2);
        client.CallCount.Should().Be(40);
    }

    [Theory]
    [InlineData(typeof(HttpRequestException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutRejectedException))]
    [InlineData(typeof(TaskCanceledException))]
    public async Task EvaluateAsync_TransientFaultsThenSuccess_RetriesAndSucceeds(Type faultType)
    {
        var client = new FakeChatClient(call => call.Index < 2
            ? throw (Exception)Activator.CreateInstance(faultType, "fault " + call.Index)!
            : FakeChatClient.Response("finally"));
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        result.Text.Should().Be("finally");
        result.Attempts.Should().Be(3);
        client.CallCount.Should().Be(3);
        evaluator.Statistics.Retries.Should().Be(2);
        evaluator.Statistics.ModelCalls.Should().Be(3);
        evaluator.Statistics.Succeeded.Should().Be(1);
    }

    [Fact]
    public async Task EvaluateAsync_CustomTransientPredicate_RetriesMatchingException()
    {
        var client = new FakeChatClient(call => call.Index == 0
            ? throw new InvalidOperationException("rate limited")
            : FakeChatClient.Response("ok"));
        var options = FastOptions();
        options.IsTransient = ex => ex is InvalidOperationException { Message: "rate limited" };
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);

        result.IsSuccess.Should().BeTrue();
        result.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task EvaluateAsync_NonTransientFault_FailsWithoutRetryAndKeepsException()
    {
        var fault = new InvalidOperationException("bad request");
        var client = new FakeChatClient(_ => Task.FromException<ChatResponse>(fault));
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.Failed);
        result.IsSuccess.Should().BeFalse();
        result.Error.Should().BeSameAs(fault);
        result.Text.Should().BeNull();
        result.Attempts.Should().Be(1);
        client.CallCount.Should().Be(1);
        evaluator.Statistics.Failures.Should().Be(1);
        evaluator.Statistics.Retries.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_TransientFaultEveryTime_FailsWithLastExceptionAfterAllAttempts()
    {
        var client = new FakeChatClient(call => Task.FromException<ChatResponse>(new HttpRequestException("fault " + call.Index)));
        var options = FastOptions();
        options.MaxRetryAttempts = 2;
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.Failed);
        result.Error.Should().BeOfType<HttpRequestException>().Which.Message.Should().Be("fault 2");
        result.Attempts.Should().Be(3);
        evaluator.Statistics.Retries.Should().Be(2);
    }

    [Fact]
    public async Task EvaluateAsync_FailedRequest_IsNotCached()
    {
        var client = new FakeChatClient(call => call.Index == 0
            ? throw new InvalidOperationException("bad")
            : FakeChatClient.Response("ok"));
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation first = await evaluator.EvaluateAsync(Request("q"));
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"));

        first.Status.Should().Be(EvaluationStatus.Failed);
        second.Status.Should().Be(EvaluationStatus.Succeeded);
        second.FromCache.Should().BeFalse();
        client.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task EvaluateAsync_ClientReturnsNull_FailsWithInvalidOperationException()
    {
        var client = new FakeChatClient(_ => Task.FromResult<ChatResponse>(null!));
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q"));

        result.Status.Should().Be(EvaluationStatus.Failed);
        result.Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("returned null");
    }

    [Fact]
    public async Task EvaluateAsync_CallExceedsTimeout_ReturnsTimedOut()
    {
        var time = new FakeTimeProvider();
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            return FakeChatClient.Response("too late");
        });
        var options = FastOptions();
        options.MaxRetryAttempts = 0;
        options.Timeout = TimeSpan.FromSeconds(5);
        using var evaluator = new PromptEvaluator(client, options, time);

        Task<PromptEvaluation> task = evaluator.EvaluateAsync(Request("q"));
        await client.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(5));
        PromptEvaluation result = await task.WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.TimedOut);
        result.Error.Should().BeOfType<TimeoutRejectedException>();
        result.Attempts.Should().Be(1);
        result.Duration.Should().Be(TimeSpan.FromSeconds(5));
        evaluator.Statistics.TimedOut.Should().Be(1);
    }

    [Fact]
    public async Task EvaluateAsync_FirstAttemptTimesOut_RetriesThenSucceeds()
    {
        var time = new FakeTimeProvider();
        var client = new FakeChatClient(async call =>
        {
            if (call.Index == 0)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            }

            return FakeChatClient.Response("second try");
        });
        var options = FastOptions();
        options.MaxRetryAttempts = 1;
        options.Timeout = TimeSpan.FromSeconds(2);
        using var evaluator = new PromptEvaluator(client, options, time);

        Task<PromptEvaluation> task = evaluator.EvaluateAsync(Request("q"));
        await client.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(2));
        PromptEvaluation result = await task.WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        result.Attempts.Should().Be(2);
        client.Calls.First().CancellationToken.IsCancellationRequested.Should().BeTrue();
        evaluator.Statistics.Retries.Should().Be(1);
        evaluator.Statistics.TimedOut.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_TokenAlreadyCancelled_ThrowsWithoutCalling()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions());

        Func<Task> act = () => evaluator.EvaluateAsync(Request("q"), cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        client.CallCount.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateManyAsync_CallerCancels_ThrowsPromptlyAndStartsNoFurtherCalls()
    {
        var neverReleased = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FakeChatClient(_ => neverReleased.Task);
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 2));
        using var cts = new CancellationTokenSource();

        var run = evaluator.EvaluateManyAsync([.. Enumerable.Range(0, 20).Select(i => Request("q" + i))], cancellationToken: cts.Token);
        await client.WaitForCallsAsync(2);
        await cts.CancelAsync();
        Func<Task> act = () => run.WaitAsync(TestTimeout);

        await act.Should().ThrowAsync<OperationCanceledException>();
        client.Calls.Should().OnlyContain(c => c.CancellationToken.IsCancellationRequested);
        neverReleased.SetResult(FakeChatClient.Response("late"));
        await Task.Delay(50);
        client.CallCount.Should().Be(2);
        evaluator.Statistics.Requests.Should().BeLessThanOrEqualTo(20);
    }

    [Fact]
    public async Task EvaluateAsync_CallerCancelsWhileClientHonoursToken_ThrowsOperationCanceled()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            return FakeChatClient.Response("never");
        });
        using var evaluator = new PromptEvaluator(client, FastOptions());
        using var cts = new CancellationTokenSource();

        Task<PromptEvaluation> task = evaluator.EvaluateAsync(Request("q"), cancellationToken: cts.Token);
        await client.WaitForCallsAsync(1);
        await cts.CancelAsync();
        Func<Task> act = () => task.WaitAsync(TestTimeout);

        await act.Should().ThrowAsync<OperationCanceledException>();
        await Task.Delay(20);
        client.CallCount.Should().Be(1);
        evaluator.Statistics.Retries.Should().Be(0);
        evaluator.Statistics.Failures.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_OneOfTwoIdenticalCallersCancels_OtherStillSucceeds()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FakeChatClient(async call =>
        {
            await gate.Task.WaitAsync(call.CancellationToken);
            return FakeChatClient.Response("answer");
        });
        using var evaluator = new PromptEvaluator(client, FastOptions());
        using var cts = new CancellationTokenSource();

        Task<PromptEvaluation> cancelled = evaluator.EvaluateAsync(Request("q"), cancellationToken: cts.Token);
        Task<PromptEvaluation> kept = evaluator.EvaluateAsync(Request("q"));
        await client.WaitForCallsAsync(2);
        await cts.CancelAsync();
        Func<Task> act = () => cancelled.WaitAsync(TestTimeout);
        await act.Should().ThrowAsync<OperationCanceledException>();
        gate.SetResult();
        PromptEvaluation result = await kept.WaitAsync(TestTimeout);

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        result.Text.Should().Be("answer");
        client.CallCount.Should().Be(2, "identical requests in flight are not merged");
        client.Calls.Count(c => c.CancellationToken.IsCancellationRequested).Should().Be(1, "only the cancelled caller's call is cancelled");
    }

    [Fact]
    public async Task EvaluateAsync_IdenticalRequestTwice_SecondComesFromCache()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation first = await evaluator.EvaluateAsync(Request("q"), new ChatOptions { Temperature = 0f });
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"), new ChatOptions { Temperature = 0f });

        client.CallCount.Should().Be(1);
        first.FromCache.Should().BeFalse();
        second.FromCache.Should().BeTrue();
        second.Attempts.Should().Be(0);
        second.Status.Should().Be(EvaluationStatus.Succeeded);
        second.Text.Should().Be(first.Text);
        second.Response.Should().NotBeSameAs(first.Response);
        second.Usage!.InputTokenCount.Should().Be(10);
        evaluator.Statistics.CacheHits.Should().Be(1);
        evaluator.Statistics.Requests.Should().Be(2);
        evaluator.Statistics.InputTokens.Should().Be(10, "a cached response spends no tokens");
    }

    [Fact]
    public async Task EvaluateAsync_IdenticalRequestsInFlight_EachCallsModelThenLaterOneHitsCache()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new FakeChatClient(async call =>
        {
            await gate.Task;
            return FakeChatClient.Response("answer", FakeChatClient.Usage(3, 4, 7));
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 8));

        Task<PromptEvaluation>[] tasks = [.. Enumerable.Range(0, 5).Select(_ => evaluator.EvaluateAsync(Request("same")))];
        await client.WaitForCallsAsync(5);
        gate.SetResult();
        PromptEvaluation[] results = await Task.WhenAll(tasks).WaitAsync(TestTimeout);
        PromptEvaluation later = await evaluator.EvaluateAsync(Request("same"));

        client.CallCount.Should().Be(5, "identical requests in flight are not merged");
        results.Should().OnlyContain(r => r.IsSuccess && r.Text == "answer" && !r.FromCache && r.Attempts == 1);
        results.Select(r => r.Response).Distinct().Should().HaveCount(5, "every caller gets its own response object");
        later.FromCache.Should().BeTrue();
        later.Text.Should().Be("answer");
        evaluator.Statistics.CacheHits.Should().Be(1);
        evaluator.Statistics.TotalTokens.Should().Be(35);
    }

    [Fact]
    public async Task EvaluateManyAsync_DuplicateRequestsOneAtATime_CallsModelOncePerDistinctRequest()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(1);
            return FakeChatClient.Response("echo: " + call.LastText);
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 1));
        IReadOnlyList<ChatMessage>[] requests = [.. Enumerable.Range(0, 30).Select(i => Request("q" + (i % 3)))];

        var results = await evaluator.EvaluateManyAsync(requests).WaitAsync(TestTimeout);

        client.CallCount.Should().Be(3);
        results.Select(r => r.Text).Should().Equal(Enumerable.Range(0, 30).Select(i => "echo: q" + (i % 3)));
        results.Count(r => r.FromCache).Should().Be(27);
        evaluator.Statistics.CacheHits.Should().Be(27);
    }

    [Fact]
    public async Task EvaluateAsync_DifferentTemperature_CallsModelAgain()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions());

        await evaluator.EvaluateAsync(Request("q"), new ChatOptions { Temperature = 0f });
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"), new ChatOptions { Temperature = 0.7f });

        client.CallCount.Should().Be(2);
        second.FromCache.Should().BeFalse();
    }

    [Fact]
    public async Task EvaluateAsync_CacheDisabled_CallsModelForEveryRequest()
    {
        var client = FakeChatClient.Echo();
        var options = FastOptions();
        options.UseCache = false;
        using var evaluator = new PromptEvaluator(client, options);

        await evaluator.EvaluateAsync(Request("q"));
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"));

        client.CallCount.Should().Be(2);
        second.FromCache.Should().BeFalse();
        evaluator.Statistics.CacheHits.Should().Be(0);
    }

    [Fact]
    public async Task EvaluateAsync_RequestWithTools_IsNeverCached()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions());
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] };

        await evaluator.EvaluateAsync(Request("q"), options);
        await evaluator.EvaluateAsync(Request("q"), options);

        client.CallCount.Should().Be(2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public async Task EvaluateAsync_BlankResponse_IsEmptyAndNotCached(string text)
    {
        var client = new FakeChatClient(_ => FakeChatClient.Response(text, FakeChatClient.Usage(8, 0, 8)));
        using var evaluator = new PromptEvaluator(client, FastOptions());

        PromptEvaluation first = await evaluator.EvaluateAsync(Request("q"));
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"));

        first.Status.Should().Be(EvaluationStatus.Empty);
        first.IsSuccess.Should().BeFalse();
        second.FromCache.Should().BeFalse();
        client.CallCount.Should().Be(2);
        evaluator.Statistics.Empty.Should().Be(2);
        evaluator.Statistics.Succeeded.Should().Be(0);
        evaluator.Statistics.InputTokens.Should().Be(16, "tokens were spent even though the answer was empty");
    }

    [Fact]
    public async Task EvaluateAsync_ValidatorRejects_IsMalformedAndNotCached()
    {
        var client = new FakeChatClient(_ => FakeChatClient.Response("not json"));
        var options = FastOptions();
        options.ResponseValidator = r => r.Text.StartsWith('{');
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation first = await evaluator.EvaluateAsync(Request("q"));
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"));

        first.Status.Should().Be(EvaluationStatus.Malformed);
        first.Text.Should().Be("not json");
        first.Error.Should().BeNull();
        second.FromCache.Should().BeFalse();
        client.CallCount.Should().Be(2);
        evaluator.Statistics.Malformed.Should().Be(2);
    }

    [Fact]
    public async Task EvaluateAsync_ValidatorThrows_IsMalformedWithException()
    {
        var fault = new FormatException("unparseable");
        var options = FastOptions();
        options.ResponseValidator = _ => throw fault;
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo(), options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q"));

        result.Status.Should().Be(EvaluationStatus.Malformed);
        result.Error.Should().BeSameAs(fault);
    }

    [Fact]
    public async Task EvaluateAsync_ValidatorAccepts_IsSucceeded()
    {
        var client = new FakeChatClient(_ => FakeChatClient.Response("{\"a\":1}"));
        var options = FastOptions();
        options.ResponseValidator = r => r.Text.StartsWith('{');
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q"));

        result.Status.Should().Be(EvaluationStatus.Succeeded);
    }

    [Fact]
    public async Task Statistics_SeveralResponses_SumTokenUsage()
    {
        var client = new FakeChatClient(call => call.LastText switch
        {
            "a" => FakeChatClient.Response("x", FakeChatClient.Usage(10, 5, 15)),
            "b" => FakeChatClient.Response("y", FakeChatClient.Usage(20, 7, null)),
            _ => FakeChatClient.Response("z"),
        });
        using var evaluator = new PromptEvaluator(client, FastOptions(maxConcurrency: 1)); // one at a time: the repeated "a" is a cache hit
        PromptEvaluatorStatistics before = evaluator.Statistics;

        await evaluator.EvaluateManyAsync([Request("a"), Request("b"), Request("c"), Request("a")]);
        PromptEvaluatorStatistics after = evaluator.Statistics;

        before.Requests.Should().Be(0, "a snapshot does not change afterwards");
        after.Requests.Should().Be(4);
        after.ModelCalls.Should().Be(3);
        after.CacheHits.Should().Be(1);
        after.Succeeded.Should().Be(4);
        after.InputTokens.Should().Be(30);
        after.OutputTokens.Should().Be(12);
        after.TotalTokens.Should().Be(42, "a missing total counts as input + output");
    }

    [Fact]
    public async Task Constructor_MeterFactoryGiven_PublishesCounters()
    {
        using var meterFactory = new TestMeterFactory();
        var measurements = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string name = instrument.Name;
            foreach (var tag in tags)
            {
                name += "|" + tag.Value;
            }

            measurements.AddOrUpdate(name, value, (_, old) => old + value);
        });
        listener.Start();
        using var evaluator = new PromptEvaluator(FakeChatClient.Echo(), FastOptions(), meterFactory: meterFactory);

        await evaluator.EvaluateAsync(Request("q"));
        await evaluator.EvaluateAsync(Request("q"));

        meterFactory.Meters.Should().ContainSingle().Which.Name.Should().Be("PromptKit.Evaluation");
        measurements["promptkit.evaluation.requests"].Should().Be(2);
        measurements["promptkit.evaluation.model_calls"].Should().Be(1);
        measurements["promptkit.evaluation.cache_hits"].Should().Be(1);
        measurements["promptkit.evaluation.results|succeeded"].Should().Be(2);
        measurements["promptkit.evaluation.input_tokens"].Should().Be(10);
        measurements["promptkit.evaluation.total_tokens"].Should().Be(15);
    }

    [Fact]
    public async Task EvaluateAsync_SharedDistributedCache_SecondEvaluatorNeedsNoCall()
    {
        var distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var firstClient = FakeChatClient.Echo();
        var secondClient = FakeChatClient.Echo();
        using var first = new PromptEvaluator(firstClient, FastOptions(), cache: distributed);
        using var second = new PromptEvaluator(secondClient, FastOptions(), cache: distributed);

        await first.EvaluateAsync(Request("q"));
        PromptEvaluation result = await second.EvaluateAsync(Request("q"));

        secondClient.CallCount.Should().Be(0);
        result.FromCache.Should().BeTrue();
        result.Text.Should().Be("echo: q");
        result.Usage!.OutputTokenCount.Should().Be(5);
    }

    [Fact]
    public async Task EvaluateAsync_CacheThrows_CallsModelAndSucceeds()
    {
        var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, FastOptions(), cache: new BrokenCache());

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q"));

        result.Status.Should().Be(EvaluationStatus.Succeeded);
        client.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task EvaluateAsync_AfterDispose_ThrowsObjectDisposedException()
    {
        var evaluator = new PromptEvaluator(FakeChatClient.Echo(), FastOptions());
        evaluator.Dispose();

        Func<Task> act = () => evaluator.EvaluateAsync(Request("q"));

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Dispose_RequestInFlight_CancelsCallAndWaiterGetsObjectDisposedException()
    {
        var client = new FakeChatClient(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            return FakeChatClient.Response("never");
        });
        var evaluator = new PromptEvaluator(client, FastOptions());

        Task<PromptEvaluation> task = evaluator.EvaluateAsync(Request("q"));
        await client.WaitForCallsAsync(1);
        evaluator.Dispose();
        Func<Task> act = () => task.WaitAsync(TestTimeout);

        await act.Should().ThrowAsync<ObjectDisposedException>();
        client.Calls.Single().CancellationToken.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task EvaluateAsync_RetriesThenFails_LogsRetriesAsWarningAndFailureAsError()
    {
        var logger = new CapturingLogger();
        var client = new FakeChatClient(call => Task.FromException<ChatResponse>(new HttpRequestException("fault " + call.Index)));
        var options = FastOptions();
        options.MaxRetryAttempts = 2;
        using var evaluator = new PromptEvaluator(client, options, logger: logger);

        await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);

        logger.Entries.Where(e => e.Level == LogLevel.Warning).Should().HaveCount(2)
            .And.OnlyContain(e => e.Exception is HttpRequestException && e.Message.Contains("retrying", StringComparison.Ordinal));
        logger.Entries.Where(e => e.Level == LogLevel.Error).Should().ContainSingle()
            .Which.Exception.Should().BeOfType<HttpRequestException>().Which.Message.Should().Be("fault 2");
    }

    [Fact]
    public async Task ConfigurePipeline_UserMiddleware_SeesEachModelRequestOnceAndNoCacheHit()
    {
        var seen = new ConcurrentQueue<string>();
        var client = new FakeChatClient(call => call.Index == 0 ? throw new HttpRequestException("fault") : FakeChatClient.Response("ok"));
        var options = FastOptions();
        options.ConfigurePipeline = b => b.Use(async (messages, chatOptions, next, ct) =>
        {
            seen.Enqueue(messages.Last().Text);
            await next(messages, chatOptions, ct);
        });
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation first = await evaluator.EvaluateAsync(Request("q")).WaitAsync(TestTimeout);
        PromptEvaluation second = await evaluator.EvaluateAsync(Request("q"));

        first.Attempts.Should().Be(2);
        second.FromCache.Should().BeTrue();
        seen.Should().Equal(["q"], "the middleware sits below the cache and above the retries");
        evaluator.Statistics.Retries.Should().Be(1);
        evaluator.Statistics.ModelCalls.Should().Be(2);
    }

    [Fact]
    public async Task ConfigurePipeline_MiddlewareAnswersItself_CountsAsNoModelCall()
    {
        var client = FakeChatClient.Echo();
        var options = FastOptions();
        options.UseCache = false;
        options.ConfigurePipeline = b => b.Use((messages, chatOptions, inner, ct) => Task.FromResult(FakeChatClient.Response("canned")), null);
        using var evaluator = new PromptEvaluator(client, options);

        PromptEvaluation result = await evaluator.EvaluateAsync(Request("q"));

        result.Text.Should().Be("canned");
        result.Attempts.Should().Be(0);
        client.CallCount.Should().Be(0);
        evaluator.Statistics.ModelCalls.Should().Be(0);
    }

    [Fact]
    public void Constructor_MiddlewareFactoryReturnsNull_ThrowsInvalidOperationException()
    {
        var options = FastOptions();
        options.ConfigurePipeline = b => b.Use(_ => null!);

        Action act = () => _ = new PromptEvaluator(FakeChatClient.Echo(), options);

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task EvaluateAsync_CacheHit_TakesNoRetryOrTimeout()
    {
        var time = new FakeTimeProvider();
        var client = FakeChatClient.Echo();
        var options = FastOptions();
        options.Timeout = TimeSpan.FromSeconds(1);
        using var evaluator = new PromptEvaluator(client, options, time);

        await evaluator.EvaluateAsync(Request("q"));
        PromptEvaluation hit = await evaluator.EvaluateAsync(Request("q"));

        hit.FromCache.Should().BeTrue();
        hit.Duration.Should().Be(TimeSpan.Zero);
        evaluator.Statistics.ModelCalls.Should().Be(1);
    }

    private static IReadOnlyList<ChatMessage> Request(string text) =>
        [new ChatMessage(ChatRole.System, "Answer briefly."), new ChatMessage(ChatRole.User, text)];

    private static PromptEvaluatorOptions FastOptions(int maxConcurrency = 4) => new()
    {
        MaxConcurrency = maxConcurrency,
        RetryBaseDelay = TimeSpan.Zero,
        MaxRetryDelay = TimeSpan.Zero,
    };

    private sealed class CapturingLogger : ILogger<PromptEvaluator>
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }

    internal sealed class BrokenCache : IDistributedCache
    {
        public byte[]? Get(string key) => throw new IOException("cache down");

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new IOException("cache down");

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new IOException("cache down");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new IOException("cache down");

        public void Refresh(string key) => throw new IOException("cache down");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new IOException("cache down");

        public void Remove(string key) => throw new IOException("cache down");

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new IOException("cache down");
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        public List<Meter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            Meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (Meter meter in Meters)
            {
                meter.Dispose();
            }
        }
    }
}
