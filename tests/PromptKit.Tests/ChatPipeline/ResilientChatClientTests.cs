using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using PromptKit.Tests.Evaluation;

namespace PromptKit.Tests.ChatPipeline;

public sealed class ResilientChatClientTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Constructor_NullArguments_ThrowWithParamNames()
    {
        using var inner = FakeChatClient.Echo();

        FluentActions.Invoking(() => new ResilientChatClient(null!, ResiliencePipeline.Empty)).Should().Throw<ArgumentNullException>().WithParameterName("innerClient");
        FluentActions.Invoking(() => new ResilientChatClient(inner, null!)).Should().Throw<ArgumentNullException>().WithParameterName("pipeline");
    }

    [Fact]
    public async Task GetResponseAsync_NullMessages_ThrowsWithParamName()
    {
        using var client = new ResilientChatClient(FakeChatClient.Echo(), ResiliencePipeline.Empty);

        Func<Task> act = () => client.GetResponseAsync((IEnumerable<ChatMessage>)null!);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("messages");
    }

    [Fact]
    public async Task GetResponseAsync_PipelineRetries_CallsInnerClientAgain()
    {
        var inner = new FakeChatClient(call => call.Index < 2 ? throw new HttpRequestException("fault") : FakeChatClient.Response("ok"));
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.Zero })
            .Build();
        using var client = new ResilientChatClient(inner, pipeline);

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        response.Text.Should().Be("ok");
        inner.CallCount.Should().Be(3);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PassesThroughWithoutPipeline()
    {
        var pipelineRuns = 0;
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.Zero, OnRetry = _ => { pipelineRuns++; return default; } })
            .Build();
        using var client = new ResilientChatClient(new ThrowingStreamClient(), pipeline);

        Func<Task> act = async () => await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "q")]).ToChatResponseAsync();

        await act.Should().ThrowAsync<HttpRequestException>();
        pipelineRuns.Should().Be(0);
    }

    [Fact]
    public void UseResilience_NullArguments_ThrowWithParamNames()
    {
        FluentActions.Invoking(() => ((ChatClientBuilder)null!).UseResilience(ResiliencePipeline.Empty)).Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => FakeChatClient.Echo().AsBuilder().UseResilience(null!)).Should().Throw<ArgumentNullException>().WithParameterName("pipeline");
        FluentActions.Invoking(() => ((ChatClientBuilder)null!).UsePromptKitResilience()).Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }

    [Fact]
    public void UsePromptKitResilience_InvalidOptions_ThrowsListingEveryFailure()
    {
        var options = new PromptEvaluatorOptions { MaxRetryAttempts = -1, Timeout = TimeSpan.Zero };

        Action act = () => FakeChatClient.Echo().AsBuilder().UsePromptKitResilience(options);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(typeof(HttpRequestException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TaskCanceledException))]
    public async Task UsePromptKitResilience_TransientFault_Retried(Type faultType)
    {
        var inner = new FakeChatClient(call => call.Index == 0
            ? throw (Exception)Activator.CreateInstance(faultType, "fault")!
            : FakeChatClient.Response("ok"));
        using IChatClient client = inner.AsBuilder().UsePromptKitResilience(Fast()).Build();

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]).WaitAsync(TestTimeout);

        response.Text.Should().Be("ok");
        inner.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task UsePromptKitResilience_NonTransientFault_ThrownAfterOneAttempt()
    {
        var inner = new FakeChatClient(_ => Task.FromException<ChatResponse>(new InvalidOperationException("bad request")));
        using IChatClient client = inner.AsBuilder().UsePromptKitResilience(Fast()).Build();

        Func<Task> act = () => client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("bad request");
        inner.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task UsePromptKitResilience_AttemptExceedsTimeout_ThrowsTimeoutRejected()
    {
        var time = new FakeTimeProvider();
        var inner = new FakeChatClient(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            return FakeChatClient.Response("never");
        });
        PromptEvaluatorOptions options = Fast();
        options.MaxRetryAttempts = 0;
        options.Timeout = TimeSpan.FromSeconds(3);
        using IChatClient client = inner.AsBuilder().UsePromptKitResilience(options, time).Build();

        Task<ChatResponse> task = client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")]);
        await inner.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(3));
        Func<Task> act = () => task.WaitAsync(TestTimeout);

        await act.Should().ThrowAsync<TimeoutRejectedException>();
        inner.Calls.Single().CancellationToken.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task UsePromptKitResilience_CallerCancels_ThrowsWithoutRetry()
    {
        var inner = new FakeChatClient(async call =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, call.CancellationToken);
            return FakeChatClient.Response("never");
        });
        using IChatClient client = inner.AsBuilder().UsePromptKitResilience(Fast()).Build();
        using var cts = new CancellationTokenSource();

        Task<ChatResponse> task = client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")], cancellationToken: cts.Token);
        await inner.WaitForCallsAsync(1);
        await cts.CancelAsync();
        Func<Task> act = () => task.WaitAsync(TestTimeout);

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.CallCount.Should().Be(1);
    }

    private static PromptEvaluatorOptions Fast() => new() { RetryBaseDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero };

    private sealed class ThrowingStreamClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "partial");
            throw new HttpRequestException("stream broke");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
