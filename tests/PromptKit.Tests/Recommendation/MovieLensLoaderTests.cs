using PromptKit.Samples.Recommendation;
using PromptKit.TestUtilities;
namespace PromptKit.Tests.Recommendation;

public sealed class MovieLensLoaderTests
{
    private const string Movies = TempMovieLens.MoviesHeader +
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n" +
        "11,\"American President, The (1995)\",Comedy|Drama|Romance\n" +
        "20,\"Dr. \"\"Strangelove\"\" (1964)\",Comedy|War\n" +
        "30,Untitled Project,(no genres listed)\n";

    private const string Ratings = TempMovieLens.RatingsHeader +
        "1,11,4.0,1000\n" +
        "1,1,2.5,900\n" +
        "2,20,5,1200\n";

    [Fact]
    public void Load_BundledData_HasDocumentedCounts()
    {
        InteractionDataset data = MovieLensData.Dataset;

        data.UserCount.Should().Be(671);
        data.ItemCount.Should().Be(9125);
        data.InteractionCount.Should().Be(100_004);
        data.Items["m1"].Title.Should().Be("Toy Story");
        data.Items["m1"].Year.Should().Be(1995);
        data.Items["m11"].DisplayTitle.Should().Be("American President, The (1995)");
        data.Users.Should().OnlyContain(u => u.Interactions.Length >= 20);
    }

    [Fact]
    public void Load_QuotedFields_ParsesTitlesYearsAndGenres()
    {
        using var files = new TempMovieLens(Movies, Ratings);

        InteractionDataset data = MovieLensLoader.Load(files.Path);

        data.ItemCount.Should().Be(4);
        data.Items["m11"].Title.Should().Be("American President, The");
        data.Items["m20"].Title.Should().Be("Dr. \"Strangelove\"");
        data.Items["m20"].Year.Should().Be(1964);
        data.Items["m30"].Year.Should().BeNull();
        data.Items["m30"].Genres.Should().BeEmpty();
        data.Items["m1"].Genres.Should().HaveCount(5);
        data.Users.Select(u => u.UserId).Should().Equal("1", "2");
        data.Users[0].Interactions.Select(i => i.ItemId).Should().Equal("m1", "m11"); // chronological
        data.Users[0].Interactions[0].Rating.Should().Be(2.5);
        data.Users[0].Interactions[0].Timestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(900));
        data.Genres.Should().Contain("War").And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_SameAsLoad()
    {
        using var files = new TempMovieLens(Movies, Ratings);

        InteractionDataset data = await MovieLensLoader.LoadAsync(files.Path);

        data.ToString().Should().Be(MovieLensLoader.Load(files.Path).ToString());
    }

    [Fact]
    public async Task LoadAsync_Canceled_Throws()
    {
        using var files = new TempMovieLens(Movies, Ratings);

        Func<Task> act = () => MovieLensLoader.LoadAsync(files.Path, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsNamingIt()
    {
        string path = Path.Combine(Path.GetTempPath(), "promptkit-missing-" + Guid.NewGuid().ToString("N"));

        Action act = () => MovieLensLoader.Load(path);

        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{path}*");
    }

    [Theory]
    [InlineData("movies.csv")]
    [InlineData("ratings.csv")]
    public void Load_MissingFile_ThrowsNamingIt(string missing)
    {
        using var files = new TempMovieLens(missing == "movies.csv" ? null : Movies, missing == "ratings.csv" ? null : Ratings);

        Action act = () => MovieLensLoader.Load(files.Path);

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().EndWith(missing);
    }

    [Fact]
    public void Load_BlankDirectory_ThrowsWithParamName()
    {
        Action act = () => MovieLensLoader.Load(" ");

        act.Should().Throw<ArgumentException>().WithParameterName("directory");
    }

    [Theory]
    [InlineData("movieId,name,genres\n1,A,Drama\n", null, "movies.csv, line 1: the header*")]
    [InlineData(TempMovieLens.MoviesHeader + "1,A,Drama\n2,B\n", null, "movies.csv, line 3: the row has 2 fields; expected 3*")]
    [InlineData(TempMovieLens.MoviesHeader + "1,\"A (1990),Drama\n", null, "movies.csv, line 2: a quoted field is never closed*")]
    [InlineData(TempMovieLens.MoviesHeader + "1,A \"B\",Drama\n", null, "movies.csv, line 2: a '\"' appears inside an unquoted field*")]
    [InlineData(TempMovieLens.MoviesHeader + "1,\"A\"x,Drama\n", null, "movies.csv, line 2: the character 'x' follows a closing quote*")]
    [InlineData(TempMovieLens.MoviesHeader + "1,A,Drama\n1,B,Comedy\n", null, "movies.csv, line 3: movie id 1 appears more than once*")]
    [InlineData(TempMovieLens.MoviesHeader + "x1,A,Drama\n", null, "movies.csv, line 2: movieId 'x1' is not a non-negative integer*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,5.5,100\n", "ratings.csv, line 2: rating 5.5 is outside the range 0.5 to 5*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,0,100\n", "ratings.csv, line 2: rating 0 is outside the range 0.5 to 5*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,good,100\n", "ratings.csv, line 2: rating 'good' is not a number*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,4,100\n1,99,4,100\n", "ratings.csv, line 3: movie id 99 is not in movies.csv*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,4,100\n1,1,3,200\n", "ratings.csv, line 3: user 1 rates movie 1 more than once*")]
    [InlineData(null, TempMovieLens.RatingsHeader + "1,1,4,yesterday\n", "ratings.csv, line 2: timestamp 'yesterday'*")]
    [InlineData(null, "", "ratings.csv, line 1: the file is empty*")]
    public void Load_MalformedFile_ThrowsNamingFileLineAndProblem(string? movies, string? ratings, string message)
    {
        using var files = new TempMovieLens(movies ?? TempMovieLens.MoviesHeader + "1,A (1990),Drama\n", ratings ?? TempMovieLens.RatingsHeader + "1,1,4,100\n");

        Action act = () => MovieLensLoader.Load(files.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("*" + message);
    }

    [Fact]
    public void Load_CrLfAndMultiLineQuotedTitle_CountsLines()
    {
        using var files = new TempMovieLens(
            "movieId,title,genres\r\n1,\"Two\nLines\",Drama\r\n2,B,\r\n3,C,Drama|\r\n",
            TempMovieLens.RatingsHeader);

        Action act = () => MovieLensLoader.Load(files.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("*movies.csv, line 5: movie 3 has an empty genre*");
    }
}
