using Microsoft.Extensions.AI;

namespace PromptKit.Training.Tests;

public sealed partial class PromptScoringEnvironmentTests
{
    private static readonly string[] Instructions = ["Answer briefly.", "Answer in French.", "Answer with the word yes."];

    [Fact]
    public async Task PpoTrainer_PromptEnvironmentOverFakeModel_LearnsTheRewardedInstructionDespiteFaults()
    {
        // The fault schedule belongs to each environment and step (FaultSchedule.Fails), not to a call counter shared by
        // the concurrent environments, so which steps fail does not depend on thread scheduling and the count is known.
        var client = new InstructionFollowingClient(FaultSchedule.Fails);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 2, MaxRetryAttempts = 0, UseCache = false });
        var scorer = new PromptScorer<string>(evaluator, new ExactWordReward());
        using var model = ActorCriticModel.CreateMlp(1, [3], [16], seed: 1);
        var options = new PpoTrainerOptions { EnvironmentCount = 4, StepsPerEnvironment = 8, Iterations = 20, Epochs = 4, MiniBatchSize = 16, ActorLearningRate = 1e-2, FaultPolicy = RolloutFaultPolicy.Skip, Seed = 2 };
        var trainer = new PpoTrainer(options);
        var environments = new List<InstructionEnvironment>();

        TrainingResult result = await trainer.TrainAsync(model, slot =>
        {
            var environment = new InstructionEnvironment(scorer, slot);
            environments.Add(environment);
            return environment;
        });

        int stepsPerEnvironment = options.StepsPerEnvironment * options.Iterations;
        int scheduled = Enumerable.Range(0, options.EnvironmentCount).Sum(e => Enumerable.Range(0, stepsPerEnvironment).Count(t => FaultSchedule.Fails(e, t)));
        Span<float> p = stackalloc float[3];
        model.GetPolicy(0).GetProbabilities([1f], p);
        p[2].Should().BeGreaterThan(0.9f);
        scheduled.Should().BeGreaterThan(0);
        environments.Sum(e => e.FaultedSteps).Should().Be(scheduled);
        result.Last!.TotalFaultedSteps.Should().Be(scheduled);
        environments.Sum(e => e.ModelCalls).Should().Be(client.Calls).And.Be(options.EnvironmentCount * stepsPerEnvironment);
        evaluator.Statistics.Failures.Should().Be(scheduled);
    }

    [Fact]
    public async Task StepAsync_BeforeReset_Throws()
    {
        using var evaluator = new PromptEvaluator(new InstructionFollowingClient((_, _) => false));
        var environment = new InstructionEnvironment(new PromptScorer<string>(evaluator, new ExactWordReward()), 0);

        Func<Task> act = async () => await environment.StepAsync(new[] { 0 });

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*ResetAsync*");
    }

    [Fact]
    public async Task StepAsync_ActionOutOfRange_ThrowsWithParamName()
    {
        using var evaluator = new PromptEvaluator(new InstructionFollowingClient((_, _) => false));
        var environment = new InstructionEnvironment(new PromptScorer<string>(evaluator, new ExactWordReward()), 0);
        await environment.ResetAsync();

        Func<Task> act = async () => await environment.StepAsync(new[] { 3 });

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("actions");
    }

    private sealed class InstructionEnvironment(PromptScorer<string> scorer, int slot) : PromptScoringEnvironment<string>(scorer, 1, [3])
    {
        private int _step;

        protected override ValueTask BeginEpisode(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        // The query names the environment and its step, so the model's fault schedule can key on them.
        protected override ValueTask<(Prompt Prompt, string Target)> ComposePromptAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken) =>
            ValueTask.FromResult((new PromptBuilder().AddInstruction(Instructions[actions.Span[0]]).AddQuery($"Is the sky blue? [env {slot} step {_step++}]").Build(), "yes"));

        protected override void Observe(Span<float> destination) => destination[0] = 1;

        protected override ValueTask<StepOutcome> Advance(ReadOnlyMemory<int> actions, PromptScore score, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new StepOutcome(IsTerminal: true));
    }

    private static class FaultSchedule
    {
        public static bool Fails(int environment, int step) => ((environment * 5) + step) % 7 == 3;
    }

    private sealed class ExactWordReward : IReward<string>
    {
        public string Name => "exact-word";

        public double Compute(string output, string target) => output.Trim().Equals(target, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
    }

    /// <summary>Answers "yes" only when told to; throws for the environment steps the schedule marks.</summary>
    private sealed partial class InstructionFollowingClient(Func<int, int, bool> fails) : IChatClient
    {
        private int _calls;

        public int Calls => _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            string text = string.Concat(messages.Select(m => m.Text));
            System.Text.RegularExpressions.Match step = StepMarker().Match(text);
            if (step.Success && fails(int.Parse(step.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new HttpRequestException("simulated outage");
            }

            string answer = text.Contains("word yes", StringComparison.Ordinal) ? "yes" : text.Contains("French", StringComparison.Ordinal) ? "oui" : "Yes, it is blue.";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"\[env (\d+) step (\d+)\]")]
        private static partial System.Text.RegularExpressions.Regex StepMarker();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
