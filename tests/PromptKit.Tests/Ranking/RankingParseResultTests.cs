using System.Collections.Immutable;

namespace PromptKit.Tests.Ranking;

public sealed class RankingParseResultTests
{
    [Theory]
    [InlineData(0, RankingParseStatus.Failed, true)]
    [InlineData(2, RankingParseStatus.Partial, false)]
    [InlineData(3, RankingParseStatus.Complete, false)]
    public void Status_MatchedCount_DerivedFromMatchedAndTotal(int matched, RankingParseStatus expected, bool failure)
    {
        var result = new RankingParseResult([2, 0, 1], matched, ImmutableArray<string>.Empty, duplicateCount: 0, isTruncated: false);

        result.Status.Should().Be(expected);
        result.IsParseFailure.Should().Be(failure);
        result.OmittedCount.Should().Be(3 - matched);
    }
}
