namespace PromptKit.Tests.Personalization;

/// <summary>A small hand-made example: six history movies and four candidates.</summary>
internal static class RppTestData
{
    public static readonly RecommendationItem[] History =
    [
        new("m1", "Toy Story", ["Animation", "Comedy"], 1995),
        new("m2", "Heat", ["Crime"], 1995),
        new("m3", "Alien", ["Horror", "Sci-Fi"], 1979),
        new("m4", "Tom & Jerry <The Movie>", ["Animation"], 1992),
        new("m5", "Casablanca", ["Drama", "Romance"], 1942),
        new("m6", "Matrix, The", ["Action", "Sci-Fi"], 1999),
    ];

    public static readonly double[] Ratings = [3, 4.5, 5, 1, 4, 2];

    public static readonly RecommendationItem[] Candidates =
    [
        new("m10", "Aliens", ["Action", "Horror"], 1986),
        new("m11", "American President, The", ["Comedy", "Drama"], 1995),
        new("m12", "12 Angry Men", ["Drama"], 1957),
        new("m13", "Alien vs. Predator", ["Action", "Sci-Fi"], 2004),
    ];

    public static RecommendationExample Example(int targetIndex = 1) => new(
        "7",
        History.Select((item, i) => new UserInteraction(item.Id, Ratings[i], DateTimeOffset.FromUnixTimeSeconds(1000 + i))),
        History,
        Candidates[targetIndex],
        Candidates);
}
