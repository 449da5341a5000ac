using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
namespace PromptKit.Tests.Recommendation;

public sealed class ItemFeatureEncoderTests
{
    private static readonly RecommendationItem Alien = new("a", "Alien", ["Horror", "Sci-Fi"], 1979);
    private static readonly RecommendationItem Heat = new("h", "Heat", ["Crime"], 1995);
    private static readonly RecommendationItem Old = new("o", "Old", [], null);

    private static InteractionDataset Data() => new(
        [Alien, Heat, Old],
        [
            new UserProfile("1", [new UserInteraction("a", 4, default), new UserInteraction("h", 2, default)]),
            new UserProfile("2", [new UserInteraction("a", 5, default)]),
        ]);

    [Fact]
    public void Encode_WritesGenreYearAndPopularitySlots()
    {
        var encoder = new ItemFeatureEncoder(Data());
        Span<float> v = stackalloc float[encoder.Dimension];

        encoder.Genres.Should().Equal("Crime", "Horror", "Sci-Fi");
        encoder.Dimension.Should().Be(6);
        encoder.UserDimension.Should().Be(6 + 2 + ItemFeatureEncoder.ProfileStatisticCount);
        encoder.Encode("a", v);
        v.ToArray().Should().Equal(0f, 1f, 1f, 0f, 1f, 1f); // year 1979 is the minimum; Alien is the most popular
        encoder.Encode("h", v);
        v[3].Should().Be(1f);
        v[5].Should().BeApproximately((float)(Math.Log(2) / Math.Log(3)), 1e-6f);
        encoder.Encode("o", v);
        v.ToArray().Should().Equal(0f, 0f, 0f, 0f, 0f, 0f);
    }

    [Fact]
    public void EncodeUser_RatingWeightedMeanPlusLengthAndMeanRating()
    {
        var encoder = new ItemFeatureEncoder(Data());
        float[] v = new float[encoder.UserDimension + 2];
        v.AsSpan().Fill(9f);

        encoder.EncodeUser([new UserInteraction("a", 3, default), new UserInteraction("h", 1, default)], v);

        v[0].Should().BeApproximately(0.25f, 1e-6f);   // Crime: only Heat, weight 1 of 4
        v[1].Should().BeApproximately(0.75f, 1e-6f);   // Horror: only Alien, weight 3 of 4
        v[6].Should().BeApproximately(1f, 1e-6f);      // 2 items = the longest profile
        v[7].Should().BeApproximately(2f / 5f, 1e-6f); // mean rating 2 of max 5
        v[13].Should().Be(9f);                         // beyond UserDimension: untouched
    }

    [Fact]
    public void EncodeUser_ProfileStatistics_AreStandardizedOverTheDataSetsUsers()
    {
        // User 1: first 70 % = [Alien] (Horror, Sci-Fi), last 30 % = [Heat] (Crime): concentration 2/3, drift 1,
        // rating sd 1, mean popularity (1 + log 2 / log 3) / 2, scaled years 0 and 1 (sd 0.5).
        // User 2: [Alien]: concentration 1, drift 1 (no early part), rating sd 0, popularity 1, one year (sd 0).
        var encoder = new ItemFeatureEncoder(Data());
        float[] v = new float[encoder.UserDimension];

        encoder.EncodeUser(Data().Users[0].Interactions, v);

        v[8..].Should().Equal([-1f, 0f, 1f, -1f, 1f], (a, b) => Math.Abs(a - b) < 1e-5f); // drift has no spread: z = 0
        encoder.EncodeUser(Data().Users[1].Interactions, v);
        v[8..].Should().Equal([1f, 0f, -1f, 1f, -1f], (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void EncodeUser_EmptyHistory_ZeroVector()
    {
        var encoder = new ItemFeatureEncoder(Data());
        float[] v = Enumerable.Repeat(1f, encoder.UserDimension).ToArray();

        encoder.EncodeUser([], v);

        v.Should().OnlyContain(x => x == 0f);
    }

    [Fact]
    public void Encode_ShortDestinationOrUnknownItem_Throws()
    {
        var encoder = new ItemFeatureEncoder(Data());

        FluentActions.Invoking(() => encoder.Encode("a", new float[5])).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => encoder.EncodeUser([], new float[12])).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => encoder.Encode("zz", new float[6])).Should().Throw<ArgumentException>().WithParameterName("itemId");
        FluentActions.Invoking(() => encoder.EncodeUser([new UserInteraction("zz", 1, default)], new float[13])).Should().Throw<ArgumentException>().WithParameterName("history");
        FluentActions.Invoking(() => new ItemFeatureEncoder(null!)).Should().Throw<ArgumentNullException>().WithParameterName("trainingInteractions");
    }

    [Fact]
    public void Encode_BundledData_DimensionFollowsGenres()
    {
        var encoder = new ItemFeatureEncoder(MovieLensData.Dataset);

        encoder.Dimension.Should().Be(MovieLensData.Dataset.Genres.Length + 3);
        float[] v = new float[encoder.UserDimension];
        encoder.EncodeUser(MovieLensData.Dataset.Users[0].Interactions, v);
        v[..^ItemFeatureEncoder.ProfileStatisticCount].Should().OnlyContain(x => x >= 0f && x <= 1f);
        v[^ItemFeatureEncoder.ProfileStatisticCount..].Should().OnlyContain(x => x >= -3f && x <= 3f);
    }
}
