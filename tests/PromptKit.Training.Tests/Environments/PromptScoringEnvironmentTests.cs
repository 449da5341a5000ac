using Microsoft.Extensions.AI;

namespace PromptKit.Training.Tests;

public sealed class PromptScoringEnvironmentTests
{
    private static readonly string[] Instructions = ["Answer briefly.", "Answer in French.", "Answer with the word yes."];

    [Fact]
    public async Task PpoTrainer_PromptEnvironmentOverFakeModel_LearnsTheRewardedInstructionDespiteFaults()
    {
        var client = new InstructionFollowingClient(failEvery: 7);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 2, MaxRetryAttempts = 0, UseCache = false });
        var scorer = new PromptScorer<string>(evaluator, new ExactWordReward());
        using var model = ActorCriticModel.CreateMlp(1, [3], [16], seed: 1);
        var trainer = new PpoTrainer(new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 8, Iterations = 20, Epochs = 4, MiniBatchSize = 16, ActorLearningRate = 1e-2, FaultPolicy = RolloutFaultPolicy.Skip, Seed = 2 });
        var environments = new List<InstructionEnvironment>();

        TrainingResult result = await trainer.TrainAsync(model, _ =>
        {
            var environment = new InstructionEnvironment(scorer);
            environments.Add(environment);
            return environment;
        });

        Span<float> p = stackalloc float[3];
        model.GetPolicy(0).GetProbabilities([1f], p);
        p[2].Should().BeGreaterThan(0.9f);
        long faults = environments.Sum(e => e.FaultedSteps);
        faults.Should().BeGreaterThan(0);
        result.Last!.TotalFaultedSteps.Should().Be(faults);
        environments.Sum(e => e.ModelCalls).Should().Be(client.Calls);
        evaluator.Statistics.Failures.Should().Be(faults);
    }

    [Fact]
    public async Task StepAsync_BeforeReset_Throws()
    {
        using var evaluator = new PromptEvaluator(new InstructionFollowingClient(0));
        var environment = new InstructionEnvironment(new PromptScorer<string>(evaluator, new ExactWordReward()));

        Func<Task> act = async () => await environment.StepAsync(new[] { 0 });

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*ResetAsync*");
    }

    [Fact]
    public async Task StepAsync_ActionOutOfRange_ThrowsWithParamName()
    {
        using var evaluator = new PromptEvaluator(new InstructionFollowingClient(0));
        var environment = new InstructionEnvironment(new PromptScorer<string>(evaluator, new ExactWordReward()));
        await environment.ResetAsync();

        Func<Task> act = async () => await environment.StepAsync(new[] { 3 });

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("actions");
    }

    private sealed class InstructionEnvironment(PromptScorer<string> scorer) : PromptScoringEnvironment<string>(scorer, 1, [3])
    {
        protected override ValueTask BeginEpisode(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override ValueTask<(Prompt Prompt, string Target)> ComposePromptAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken) =>
            ValueTask.FromResult((new PromptBuilder().AddInstruction(Instructions[actions.Span[0]]).AddQuery("Is the sky blue?").Build(), "yes"));

        protected override void Observe(Span<float> destination) => destination[0] = 1;

        protected override ValueTask<StepOutcome> Advance(ReadOnlyMemory<int> actions, PromptScore score, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new StepOutcome(IsTerminal: true));
    }

    private sealed class ExactWordReward : IReward<string>
    {
        public string Name => "exact-word";

        public double Compute(string output, string target) => output.Trim().Equals(target, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
    }

    /// <summary>Answers "yes" only when told to; every <c>failEvery</c>-th call throws.</summary>
    private sealed class InstructionFollowingClient(int failEvery) : IChatClient
    {
        private int _calls;

        public int Calls => _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref _calls);
            if (failEvery > 0 && call % failEvery == 0)
            {
                throw new HttpRequestException("simulated outage");
            }

            string text = string.Concat(messages.Select(m => m.Text));
            string answer = text.Contains("word yes", StringComparison.Ordinal) ? "yes" : text.Contains("French", StringComparison.Ordinal) ? "oui" : "Yes, it is blue.";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
