namespace PromptKit.Tests.Rewards;

public sealed class NdcgRewardTests
{
    private static RankingTarget Target() => new(
        [new RankingCandidate("1", "The Matrix"), new RankingCandidate("2", "Heat"), new RankingCandidate("3", "Up")],
        [0, 1, 0]);

    [Fact]
    public void Compute_RelevantFirst_IsOne()
    {
        var reward = new NdcgReward(k: 10);

        reward.Compute("1. Heat\n2. Up\n3. The Matrix", Target()).Should().Be(1.0);
        reward.Name.Should().Be("ndcg@10");
    }

    [Fact]
    public void Compute_RelevantSecond_IsOneOverLog2Of3()
    {
        double value = new NdcgReward().Compute("1. The Matrix\n2. Heat\n3. Up", Target());

        value.Should().BeApproximately(1.0 / Math.Log2(3), 1e-12);
    }

    [Fact]
    public void Compute_RelevantOmitted_GoesAfterNamedItems()
    {
        double value = new NdcgReward().Compute("1. Up\n2. The Matrix", Target());

        value.Should().BeApproximately(1.0 / Math.Log2(4), 1e-12);
    }

    [Fact]
    public void Evaluate_UnparseableAnswer_ZeroAndReported()
    {
        RankingRewardResult result = new NdcgReward().Evaluate("I cannot help with that.", Target());

        result.Reward.Should().Be(0.0);
        result.Parse.IsParseFailure.Should().BeTrue();
    }

    [Fact]
    public void Compute_CutoffBelowRelevantRank_IsZero() =>
        new NdcgReward(k: 1).Compute("1. Up\n2. Heat\n3. The Matrix", Target()).Should().Be(0.0);

    [Fact]
    public void InvalidArguments_Throw()
    {
        var reward = new NdcgReward();

        FluentActions.Invoking(() => new NdcgReward(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        FluentActions.Invoking(() => new NdcgReward(10, (NdcgGain)5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gain");
        reward.Invoking(r => r.Compute(null!, Target())).Should().Throw<ArgumentNullException>().WithParameterName("output");
        reward.Invoking(r => r.Compute("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("target");
    }

    [Fact]
    public void RankingTarget_InvalidArguments_Throw()
    {
        RankingCandidate c = new("1", "A");

        FluentActions.Invoking(() => new RankingTarget(null!, [1.0])).Should().Throw<ArgumentNullException>().WithParameterName("candidates");
        FluentActions.Invoking(() => new RankingTarget([c], null!)).Should().Throw<ArgumentNullException>().WithParameterName("relevances");
        FluentActions.Invoking(() => new RankingTarget([], [])).Should().Throw<ArgumentException>().WithParameterName("candidates");
        FluentActions.Invoking(() => new RankingTarget([c], [1.0, 0.0])).Should().Throw<ArgumentException>().WithParameterName("relevances");
        FluentActions.Invoking(() => new RankingTarget([c], [double.NaN])).Should().Throw<ArgumentException>().WithParameterName("relevances").WithMessage("*index 0*");
        FluentActions.Invoking(() => new RankingTarget([c], [-1.0])).Should().Throw<ArgumentException>().WithParameterName("relevances");
        FluentActions.Invoking(() => new RankingTarget([null!], [1.0])).Should().Throw<ArgumentException>().WithParameterName("candidates");
    }
}

public sealed class NdcgRewardRejectionTests
{
    private static RankingTarget Target() => new(
        [new RankingCandidate("1", "The Matrix"), new RankingCandidate("2", "Heat")],
        [0, 1]);

    [Fact]
    public void TryCompute_ParseFailure_Rejects()
    {
        bool ok = new NdcgReward().TryCompute("No idea.", Target(), out double reward);

        ok.Should().BeFalse();
        reward.Should().Be(0.0);
    }

    [Fact]
    public void TryCompute_UnclosedThinkBlock_Rejects() =>
        new NdcgReward().TryCompute("<think>Heat or The Matrix? Hmm.", Target(), out _).Should().BeFalse();

    [Fact]
    public void TryCompute_ClosedThinkBlock_ReadsTheAnswerAfterIt()
    {
        bool ok = new NdcgReward().TryCompute("<think>The Matrix first?</think>\n1. Heat\n2. The Matrix", Target(), out double reward);

        ok.Should().BeTrue();
        reward.Should().Be(1.0);
    }

    [Fact]
    public async Task PromptScorer_ParseFailure_IsRejectedNotSuccess()
    {
        using var client = new PromptKit.Tests.Evaluation.FakeChatClient(_ => PromptKit.Tests.Evaluation.FakeChatClient.Response("I cannot rank these."));
        using var evaluator = new PromptEvaluator(client);
        var scorer = new PromptScorer<RankingTarget>(evaluator, new NdcgReward());

        PromptScore score = await scorer.ScoreAsync(new PromptBuilder().AddUser("Rank them.").Build(), Target());

        score.IsSuccess.Should().BeFalse();
        score.IsRejected.Should().BeTrue();
        score.Reward.Should().BeNull();
        score.Evaluation.Status.Should().Be(EvaluationStatus.Succeeded);
    }
}
