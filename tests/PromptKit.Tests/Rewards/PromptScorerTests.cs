using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using PromptKit.Tests.Evaluation;

namespace PromptKit.Tests.Rewards;

public sealed class PromptScorerTests
{
    private static readonly PromptEvaluatorOptions Fast = new() { RetryBaseDelay = TimeSpan.Zero, MaxRetryAttempts = 1 };

    [Fact]
    public async Task ScoreAsync_Success_RewardsTheOutput()
    {
        using var client = new FakeChatClient(call => FakeChatClient.Response("the cat sat on the mat"));
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, new RougeReward(RougeType.Rouge1));
        Prompt prompt = new PromptBuilder().AddUser("Describe the cat.").Build();

        PromptScore score = await scorer.ScoreAsync(prompt, ["the cat sat on the mat"]);

        score.IsSuccess.Should().BeTrue();
        score.Reward.Should().Be(1.0);
        score.Prompt.Should().BeSameAs(prompt);
        client.Calls.Single().Messages.Single().Text.Should().Be("Describe the cat.");
    }

    [Fact]
    public async Task ScoreAsync_FailedCall_HasNoReward()
    {
        using var client = new FakeChatClient(new Func<FakeChatCall, ChatResponse>(_ => throw new InvalidOperationException("boom")));
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, new RougeReward());

        PromptScore score = await scorer.ScoreAsync(new PromptBuilder().AddUser("x").Build(), ["y"]);

        score.IsSuccess.Should().BeFalse();
        score.Reward.Should().BeNull();
        score.Evaluation.Status.Should().Be(EvaluationStatus.Failed);
    }

    [Fact]
    public async Task ScoreAsync_EmptyResponse_HasNoReward()
    {
        using var client = new FakeChatClient(_ => FakeChatClient.Response("   "));
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, new RougeReward());

        PromptScore score = await scorer.ScoreAsync(new PromptBuilder().AddUser("x").Build(), ["y"]);

        score.Reward.Should().BeNull();
        score.Evaluation.Status.Should().Be(EvaluationStatus.Empty);
    }

    [Fact]
    public async Task ScoreManyAsync_ScoresEachAgainstItsTarget_InOrder()
    {
        using var client = new FakeChatClient(call => FakeChatClient.Response(call.LastText));
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, new RougeReward(RougeType.Rouge1));
        Prompt[] prompts = [new PromptBuilder().AddUser("alpha beta").Build(), new PromptBuilder().AddUser("gamma delta").Build()];

        ImmutableArray<PromptScore> scores = await scorer.ScoreManyAsync(prompts, [["alpha beta"], ["alpha beta"]]);

        scores.Select(s => s.Reward).Should().Equal(1.0, 0.0);
    }

    [Fact]
    public async Task ScoreAsync_NonFiniteReward_Throws()
    {
        using var client = new FakeChatClient(_ => FakeChatClient.Response("x"));
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<string>(evaluator, new ConstantReward(double.NaN));

        Func<Task> act = () => scorer.ScoreAsync(new PromptBuilder().AddUser("x").Build(), "t");

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*constant*NaN*");
    }

    [Fact]
    public async Task InvalidArguments_Throw()
    {
        using var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, Fast);
        var scorer = new PromptScorer<string>(evaluator, new ConstantReward(1));
        Prompt prompt = new PromptBuilder().AddUser("x").Build();

        FluentActions.Invoking(() => new PromptScorer<string>(null!, new ConstantReward(1))).Should().Throw<ArgumentNullException>().WithParameterName("evaluator");
        FluentActions.Invoking(() => new PromptScorer<string>(evaluator, null!)).Should().Throw<ArgumentNullException>().WithParameterName("reward");
        await scorer.Invoking(s => s.ScoreAsync(null!, "t")).Should().ThrowAsync<ArgumentNullException>().WithParameterName("prompt");
        await scorer.Invoking(s => s.ScoreAsync(prompt, null!)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("target");
        await scorer.Invoking(s => s.ScoreManyAsync([prompt], ["a", "b"])).Should().ThrowAsync<ArgumentException>().WithParameterName("targets");
        await scorer.Invoking(s => s.ScoreManyAsync([prompt], [null!])).Should().ThrowAsync<ArgumentException>().WithParameterName("targets");
    }

    [Fact]
    public async Task EvaluateAsync_PromptThatRendersNothing_Throws()
    {
        using var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, Fast);
        Prompt empty = new PromptBuilder().AddInstruction(string.Empty).Build();

        await evaluator.Invoking(e => e.EvaluateAsync(empty)).Should().ThrowAsync<ArgumentException>().WithParameterName("prompt");
        await evaluator.Invoking(e => e.EvaluateManyAsync(new Prompt[] { empty })).Should().ThrowAsync<ArgumentException>().WithParameterName("prompts").WithMessage("*index 0*");
        await evaluator.Invoking(e => e.EvaluateManyAsync(new Prompt[] { null! })).Should().ThrowAsync<ArgumentException>().WithParameterName("prompts");
    }

    [Fact]
    public async Task EvaluateAsync_Prompt_UsesFormat()
    {
        using var client = FakeChatClient.Echo();
        using var evaluator = new PromptEvaluator(client, Fast);
        Prompt prompt = new PromptBuilder().AddOutputFormat("JSON").Build();

        await evaluator.EvaluateAsync(prompt, new PromptFormat { HeadingStyle = PromptHeadingStyle.Markdown });

        client.Calls.Single().Messages.Single().Text.Should().Be("## Output format\nJSON");
        client.Calls.Single().Messages.Single().Role.Should().Be(ChatRole.User);
    }

    private sealed class ConstantReward(double value) : IReward<string>
    {
        public string Name => "constant";

        public double Compute(string output, string target) => value;
    }
}
