using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
using PromptKit.Training;
namespace PromptKit.Training.Tests;

public sealed class CandidateResamplerTests
{
    private static readonly Lazy<RecommendationSplit> Split = new(() => RecommendationSplit.Create(MovieLensData.Dataset, new RecommendationSplitOptions { TrainUsers = 20, ValidationUsers = 0, TestUsers = 5 }));

    [Fact]
    public void Resample_KeepsUserHistoryAndTarget_DrawsNewUnseenNegatives()
    {
        var resampler = new CandidateResampler(Split.Value.TrainingInteractions);
        var random = new Random(3);

        foreach (RecommendationExample example in Split.Value.Train)
        {
            RecommendationExample fresh = resampler.Resample(example, random);

            fresh.UserId.Should().Be(example.UserId);
            fresh.History.Should().Equal(example.History);
            fresh.Target.Should().Be(example.Target);
            fresh.Candidates.Should().HaveCount(example.Candidates.Length).And.OnlyHaveUniqueItems(c => c.Id);
            fresh.Candidates.Should().ContainSingle(c => c.Id == example.Target.Id);
            fresh.Candidates.Select(c => c.Id).Should().NotIntersectWith(example.History.Select(h => h.ItemId));
            fresh.Candidates.Select(c => c.Id).Should().NotBeEquivalentTo(example.Candidates.Select(c => c.Id), "the negatives are drawn again");
        }
    }

    [Fact]
    public void Resample_SameSeed_SameCandidates_TargetPositionVaries()
    {
        var resampler = new CandidateResampler(Split.Value.TrainingInteractions);
        RecommendationExample example = Split.Value.Train[0];

        RecommendationExample a = resampler.Resample(example, new Random(11));
        RecommendationExample b = resampler.Resample(example, new Random(11));
        var positions = Enumerable.Range(0, 200).Select(s => resampler.Resample(example, new Random(s)).TargetIndex).Distinct().Count();

        b.Candidates.Select(c => c.Id).Should().Equal(a.Candidates.Select(c => c.Id));
        positions.Should().Be(example.Candidates.Length, "the target lands at every position over 200 draws");
    }

    [Fact]
    public void Resample_ItemOutsideTheCatalogue_ThrowsWithParamName()
    {
        var resampler = new CandidateResampler(new InteractionDataset([new RecommendationItem("x1", "Nothing", ["Drama"], 2000)], []));

        Action act = () => resampler.Resample(Split.Value.Train[0], new Random(1));
        Action nulls = () => resampler.Resample(null!, new Random(1));

        act.Should().Throw<ArgumentException>().WithParameterName("example").WithMessage("*not in the catalogue*");
        nulls.Should().Throw<ArgumentNullException>().WithParameterName("example");
    }
}
