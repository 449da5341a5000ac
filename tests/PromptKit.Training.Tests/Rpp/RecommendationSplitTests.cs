using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
using Microsoft.Extensions.Options;
using PromptKit.Training;

namespace PromptKit.Training.Tests;

public sealed class RecommendationSplitTests
{
    private static readonly Lazy<RecommendationSplit> DefaultSplit = new(() => RecommendationSplit.Create(MovieLensData.Dataset));

    [Fact]
    public void Create_Defaults_HasDisjointPartsOfDocumentedSizes()
    {
        RecommendationSplit split = DefaultSplit.Value;

        split.Train.Should().HaveCount(200);
        split.Validation.Should().BeEmpty();
        split.Test.Should().HaveCount(200);
        split.Train.Select(e => e.UserId).Intersect(split.Test.Select(e => e.UserId)).Should().BeEmpty();
        split.Train.Concat(split.Test).Select(e => e.UserId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Create_Examples_AreLeaveLastOut()
    {
        RecommendationSplit split = DefaultSplit.Value;
        Dictionary<string, UserProfile> users = MovieLensData.Dataset.Users.ToDictionary(u => u.UserId);

        foreach (RecommendationExample example in split.Train.Concat(split.Test))
        {
            UserProfile user = users[example.UserId];
            example.Target.Id.Should().Be(user.Interactions[^1].ItemId);
            example.History.Should().Equal(user.Interactions[..^1]);
            example.History.Select(h => h.Timestamp).Should().BeInAscendingOrder();
            example.HistoryItems.Select(i => i.Id).Should().Equal(example.History.Select(h => h.ItemId));
            example.Candidates.Should().HaveCount(10);
            example.Candidates[example.TargetIndex].Should().BeSameAs(example.Target);
            var seen = user.Interactions.Select(i => i.ItemId).ToHashSet();
            example.Candidates.Where((c, i) => i != example.TargetIndex).Should().OnlyContain(c => !seen.Contains(c.Id));
            example.Candidates.Select(c => c.Id).Should().OnlyHaveUniqueItems();
            example.RankingTarget.Relevances.Sum().Should().Be(1);
            example.RankingTarget.Relevances[example.TargetIndex].Should().Be(1);
            example.RankingTarget.Candidates.Select(c => c.Id).Should().Equal(example.Candidates.Select(c => c.Id));
        }
    }

    [Fact]
    public void Create_TargetPosition_IsSpreadOverAllPositions()
    {
        RecommendationSplit split = DefaultSplit.Value;
        int[] counts = new int[10];
        foreach (RecommendationExample example in split.Train.Concat(split.Test))
        {
            counts[example.TargetIndex]++;
        }

        // 400 examples, 40 expected per position; a fixed position would put all 400 in one.
        counts.Should().OnlyContain(c => c >= 20 && c <= 65, "the candidates are shuffled: {0}", string.Join(",", counts));
    }

    [Fact]
    public void Create_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        var options = new RecommendationSplitOptions { TrainUsers = 20, TestUsers = 20 };
        RecommendationSplit a = RecommendationSplit.Create(MovieLensData.Dataset, options);
        RecommendationSplit b = RecommendationSplit.Create(MovieLensData.Dataset, options);
        RecommendationSplit c = RecommendationSplit.Create(MovieLensData.Dataset, new RecommendationSplitOptions { TrainUsers = 20, TestUsers = 20, Seed = 7 });

        Describe(a).Should().Equal(Describe(b));
        Describe(a).Should().NotEqual(Describe(c));

        static IEnumerable<string> Describe(RecommendationSplit s) =>
            s.Train.Concat(s.Test).Select(e => e.UserId + ":" + string.Join(",", e.Candidates.Select(c => c.Id)));
    }

    [Fact]
    public void TrainingInteractions_LeaveOutEveryHeldOutTarget_KeepEverythingElse()
    {
        RecommendationSplit split = DefaultSplit.Value;
        Dictionary<string, UserProfile> training = split.TrainingInteractions.Users.ToDictionary(u => u.UserId);

        foreach (RecommendationExample example in split.Train.Concat(split.Test))
        {
            training[example.UserId].Interactions.Should().Equal(example.History);
        }

        split.TrainingInteractions.InteractionCount.Should().Be(MovieLensData.Dataset.InteractionCount - 400);
        split.TrainingInteractions.ItemCount.Should().Be(MovieLensData.Dataset.ItemCount);
    }

    [Fact]
    public void Create_TooFewEligibleUsers_ThrowsSayingWhy()
    {
        Action act = () => RecommendationSplit.Create(MovieLensData.Dataset, new RecommendationSplitOptions { TrainUsers = 600, TestUsers = 200 });

        act.Should().Throw<ArgumentException>().WithParameterName("dataset").WithMessage("*671 eligible users*800*");
    }

    [Fact]
    public void Create_InvalidOptions_ListsEveryFailure()
    {
        var options = new RecommendationSplitOptions { TrainUsers = 0, TestUsers = 0, CandidateCount = 1, MinimumHistory = 0 };

        Action act = () => RecommendationSplit.Create(MovieLensData.Dataset, options);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(3);
    }

    [Fact]
    public void Create_NullDataset_ThrowsWithParamName()
    {
        Action act = () => RecommendationSplit.Create(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("dataset");
    }

    [Fact]
    public void RecommendationExample_TargetNotACandidate_Throws()
    {
        var a = new RecommendationItem("a", "A");
        var b = new RecommendationItem("b", "B");

        Action act = () => _ = new RecommendationExample("u", [], [], a, [b]);

        act.Should().Throw<ArgumentException>().WithParameterName("target");
    }

    [Fact]
    public void RecommendationExample_HistoryItemMismatch_Throws()
    {
        var a = new RecommendationItem("a", "A");
        var b = new RecommendationItem("b", "B");

        Action act = () => _ = new RecommendationExample("u", [new UserInteraction("a", 4, default)], [b], a, [a, b]);

        act.Should().Throw<ArgumentException>().WithParameterName("historyItems");
    }

    [Fact]
    public void InteractionDataset_UnknownItem_Throws()
    {
        Action act = () => _ = new InteractionDataset([new RecommendationItem("a", "A")], [new UserProfile("u", [new UserInteraction("zz", 4, default)])]);

        act.Should().Throw<ArgumentException>().WithParameterName("users").WithMessage("*'zz'*");
    }

    [Fact]
    public void UserProfile_SortsByTimestampThenItemId()
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(10);
        var profile = new UserProfile("u", [new UserInteraction("b", 1, t), new UserInteraction("c", 1, t.AddSeconds(-1)), new UserInteraction("a", 1, t)]);

        profile.Interactions.Select(i => i.ItemId).Should().Equal("c", "a", "b");
    }
}
