using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Evaluation;

/// <summary>Regression tests for faults found in review: synchronous clients and cancellation, cache partitions, filtered answers, non-finite options.</summary>
public sealed class PromptEvaluatorReviewTests
{
    private static readonly PromptEvaluatorOptions Fast = new() { RetryBaseDelay = TimeSpan.Zero, MaxRetryAttempts = 0 };

    [Fact]
    public async Task EvaluateAsync_SynchronousClientHonouringToken_CancelsPromptly()
    {
        // A client that works on the calling thread (like a local ONNX model) and checks the token as it goes.
        using var client = new FakeChatClient(new Func<FakeChatCall, ChatResponse>(call =>
        {
            var clock = Stopwatch.StartNew();
            // 60 s of work against a bound of 20 s: a token that is not honoured fails the test, while a thread pool
            // starved by the rest of the suite (which delays the 100 ms timer that cancels) does not (4.3 s seen in CI).
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                call.CancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(5);
            }

            return FakeChatClient.Response("done");
        }));
        using var evaluator = new PromptEvaluator(client, Fast);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        Func<Task> act = () => evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "x")], cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task SharedCache_DifferentModels_DoNotShareAnswers()
    {
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var modelA = new MetadataChatClient("model-a");
        using var modelB = new MetadataChatClient("model-b");
        using var evaluatorA = new PromptEvaluator(modelA, Fast, cache: cache);
        using var evaluatorB = new PromptEvaluator(modelB, Fast, cache: cache);
        ChatMessage[] request = [new ChatMessage(ChatRole.User, "same prompt")];

        PromptEvaluation a = await evaluatorA.EvaluateAsync(request);
        PromptEvaluation b = await evaluatorB.EvaluateAsync(request);
        PromptEvaluation again = await evaluatorB.EvaluateAsync(request);

        a.Text.Should().Be("from model-a");
        b.Text.Should().Be("from model-b");
        b.FromCache.Should().BeFalse();
        again.FromCache.Should().BeTrue();
    }

    [Fact]
    public async Task SharedCache_SamePartitionOption_SharesAnswers()
    {
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var modelA = new MetadataChatClient("model-a");
        using var modelB = new MetadataChatClient("model-b");
        using var evaluatorA = new PromptEvaluator(modelA, new PromptEvaluatorOptions { CachePartition = "shared" }, cache: cache);
        using var evaluatorB = new PromptEvaluator(modelB, new PromptEvaluatorOptions { CachePartition = "shared" }, cache: cache);
        ChatMessage[] request = [new ChatMessage(ChatRole.User, "same prompt")];

        await evaluatorA.EvaluateAsync(request);
        PromptEvaluation b = await evaluatorB.EvaluateAsync(request);

        b.FromCache.Should().BeTrue();
        b.Text.Should().Be("from model-a");
    }

    [Fact]
    public async Task EvaluateAsync_ContentFiltered_IsMalformedAndNotCached()
    {
        using var client = new FakeChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "I can't help with that.")) { FinishReason = ChatFinishReason.ContentFilter });
        using var evaluator = new PromptEvaluator(client, Fast);
        ChatMessage[] request = [new ChatMessage(ChatRole.User, "x")];

        PromptEvaluation first = await evaluator.EvaluateAsync(request);
        await evaluator.EvaluateAsync(request);

        first.Status.Should().Be(EvaluationStatus.Malformed);
        client.CallCount.Should().Be(2);
    }

    [Theory]
    [InlineData(float.NaN, null)]
    [InlineData(null, float.PositiveInfinity)]
    public async Task EvaluateAsync_NonFiniteOptions_ThrowNamingOptions(float? temperature, float? topP)
    {
        using var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, Fast);
        var options = new ChatOptions { Temperature = temperature, TopP = topP };

        await evaluator.Invoking(e => e.EvaluateAsync([new ChatMessage(ChatRole.User, "x")], options)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("options");
        await evaluator.Invoking(e => e.EvaluateManyAsync(new IReadOnlyList<ChatMessage>[] { [new ChatMessage(ChatRole.User, "x")] }, options)).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("options");
    }
}
