using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace PromptKit.Benchmarks;

/// <summary>
/// The evaluator's own cost per model call: 256 distinct requests through <see cref="PromptEvaluator.EvaluateManyAsync(IReadOnlyList{IReadOnlyList{ChatMessage}}, ChatOptions?, CancellationToken)"/>
/// against a client that answers at once (no cache), with and without a <see cref="CallBudget"/> (which also tracks
/// calls in flight), and with and without the circuit breaker (<see cref="PromptEvaluatorOptions.CircuitBreakerFailureRatio"/>).
/// A real call takes 100 ms or more; this is what the evaluator adds to each.
/// </summary>
[MemoryDiagnoser]
public class PromptEvaluatorBenchmark : IDisposable
{
    private const int Requests = 256;
    private IReadOnlyList<IReadOnlyList<ChatMessage>> _requests = null!;
    private PromptEvaluator _evaluator = null!;

    /// <summary>Gets or sets a value indicating whether the evaluator spends from a (never exhausted) call budget.</summary>
    [Params(false, true)]
    public bool WithBudget { get; set; }

    /// <summary>Gets or sets a value indicating whether the circuit breaker (on by default) counts every attempt.</summary>
    [Params(false, true)]
    public bool WithCircuitBreaker { get; set; }

    /// <summary>Builds the requests and the evaluator.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _requests = [.. Enumerable.Range(0, Requests).Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage(ChatRole.User, $"Rank the candidates for user {i}.")])];
        _evaluator = new PromptEvaluator(new InstantClient(), new PromptEvaluatorOptions
        {
            MaxConcurrency = 32,
            UseCache = false,
            Budget = WithBudget ? new CallBudget(maxCalls: long.MaxValue) : null,
            CircuitBreakerFailureRatio = WithCircuitBreaker ? 0.5 : null,
        });
    }

    /// <summary>Disposes the evaluator.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _evaluator?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Evaluates the 256 requests, 32 in flight.</summary>
    /// <returns>The number of successes.</returns>
    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task<int> EvaluateMany()
    {
        var results = await _evaluator.EvaluateManyAsync(_requests);
        int succeeded = 0;
        foreach (PromptEvaluation result in results)
        {
            succeeded += result.IsSuccess ? 1 : 0;
        }

        return succeeded;
    }

    private sealed class InstantClient : IChatClient
    {
        private static readonly ChatResponse Answer = new(new ChatMessage(ChatRole.Assistant, "1. [m1] Movie"));

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
