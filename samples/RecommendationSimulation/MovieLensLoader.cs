using System.Globalization;
using System.Text;

namespace PromptKit.Samples.Recommendation;

/// <summary>Loads a MovieLens data set (the <c>ml-latest</c> / <c>ml-latest-small</c> CSV layout) into an <see cref="InteractionDataset"/>.</summary>
/// <remarks>
/// <para>Reads <c>movies.csv</c> (<c>movieId,title,genres</c>, genres separated by <c>|</c>, <c>(no genres listed)</c> for
/// none) and <c>ratings.csv</c> (<c>userId,movieId,rating,timestamp</c>, Unix seconds) with RFC 4180 quoting (titles contain
/// commas and quotes). Other files of the folder are ignored.</para>
/// <para>Item ids are the MovieLens <c>movieId</c> prefixed with <c>m</c> (<c>m31</c>), so that an id shown to a model is
/// never read as a rank, a year or a number in a title. User ids are the MovieLens <c>userId</c>. A title's trailing
/// <c>(1995)</c> becomes <see cref="RecommendationItem.Year"/> and is removed from <see cref="RecommendationItem.Title"/>.
/// Users are in ascending numeric id order.</para>
/// <para>The files are checked: both headers, the number of fields of each row, that movie ids are unique integers,
/// that ratings are numbers from 0.5 to 5, that every rated movie is in <c>movies.csv</c>, that no user rates a movie
/// twice and that timestamps are integers. Any problem throws an <see cref="InvalidDataException"/> naming the file, the
/// line and what is wrong.</para>
/// </remarks>
public static class MovieLensLoader
{
    /// <summary>The prefix added to MovieLens movie ids to form item ids.</summary>
    public const string ItemIdPrefix = "m";

    private const string MoviesFile = "movies.csv";
    private const string RatingsFile = "ratings.csv";
    private const string NoGenres = "(no genres listed)";

    /// <summary>Loads the data set in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder that holds <c>movies.csv</c> and <c>ratings.csv</c>.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>movies.csv</c> or <c>ratings.csv</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names the file, the line and the problem.</exception>
    public static InteractionDataset Load(string directory)
    {
        (string movies, string ratings) = Locate(directory);
        using var moviesReader = new StreamReader(movies, Encoding.UTF8);
        using var ratingsReader = new StreamReader(ratings, Encoding.UTF8);
        return Parse(moviesReader, movies, ratingsReader, ratings);
    }

    /// <summary>Loads the data set in <paramref name="directory"/>, reading the files asynchronously.</summary>
    /// <param name="directory">The folder that holds <c>movies.csv</c> and <c>ratings.csv</c>.</param>
    /// <param name="cancellationToken">The token to cancel loading.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>movies.csv</c> or <c>ratings.csv</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed; the message names the file, the line and the problem.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<InteractionDataset> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        (string movies, string ratings) = Locate(directory);
        string moviesText = await File.ReadAllTextAsync(movies, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        string ratingsText = await File.ReadAllTextAsync(ratings, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        using var moviesReader = new StringReader(moviesText);
        using var ratingsReader = new StringReader(ratingsText);
        return Parse(moviesReader, movies, ratingsReader, ratings);
    }

    private static (string Movies, string Ratings) Locate(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The MovieLens folder '{full}' does not exist.");
        }

        string movies = Path.Combine(full, MoviesFile);
        string ratings = Path.Combine(full, RatingsFile);
        foreach (string path in (ReadOnlySpan<string>)[movies, ratings])
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The MovieLens file '{path}' does not exist; the folder must hold {MoviesFile} and {RatingsFile}.", path);
            }
        }

        return (movies, ratings);
    }

    private static InteractionDataset Parse(TextReader moviesReader, string moviesPath, TextReader ratingsReader, string ratingsPath)
    {
        var items = new List<RecommendationItem>();
        var itemIds = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<string>(4);

        var movies = new CsvRecordReader(moviesReader, moviesPath);
        ReadHeader(movies, fields, "movieId,title,genres");
        while (movies.TryRead(fields))
        {
            RequireFieldCount(movies, fields, 3);
            string movieId = fields[0];
            RequireInteger(movies, movieId, "movieId");
            string id = ItemIdPrefix + movieId;
            if (!itemIds.Add(id))
            {
                throw movies.Error(movies.RecordLine, $"movie id {movieId} appears more than once; movie ids must be unique");
            }

            if (string.IsNullOrWhiteSpace(fields[1]))
            {
                throw movies.Error(movies.RecordLine, $"movie {movieId} has an empty title");
            }

            (string title, int? year) = SplitYear(fields[1].Trim());
            string[] genres = fields[2].Length == 0 || fields[2] == NoGenres
                ? []
                : fields[2].Split('|', StringSplitOptions.TrimEntries);
            if (Array.Exists(genres, g => g.Length == 0))
            {
                throw movies.Error(movies.RecordLine, $"movie {movieId} has an empty genre in '{fields[2]}'");
            }

            items.Add(new RecommendationItem(id, title, genres, year));
        }

        var byUser = new SortedDictionary<long, (List<UserInteraction> List, HashSet<string> Seen)>();
        var ratings = new CsvRecordReader(ratingsReader, ratingsPath);
        ReadHeader(ratings, fields, "userId,movieId,rating,timestamp");
        while (ratings.TryRead(fields))
        {
            RequireFieldCount(ratings, fields, 4);
            long userId = RequireInteger(ratings, fields[0], "userId");
            RequireInteger(ratings, fields[1], "movieId");
            string itemId = ItemIdPrefix + fields[1];
            if (!itemIds.Contains(itemId))
            {
                throw ratings.Error(ratings.RecordLine, $"movie id {fields[1]} is not in {MoviesFile}");
            }

            if (!double.TryParse(fields[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double rating))
            {
                throw ratings.Error(ratings.RecordLine, $"rating '{fields[2]}' is not a number");
            }

            if (rating is < 0.5 or > 5.0)
            {
                throw ratings.Error(ratings.RecordLine, $"rating {fields[2]} is outside the range 0.5 to 5");
            }

            long seconds = RequireInteger(ratings, fields[3], "timestamp");
            DateTimeOffset timestamp;
            try
            {
                timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"{ratingsPath}, line {ratings.RecordLine}: timestamp {seconds} is out of range.", e);
            }

            if (!byUser.TryGetValue(userId, out (List<UserInteraction> List, HashSet<string> Seen) user))
            {
                user = ([], new HashSet<string>(StringComparer.Ordinal));
                byUser.Add(userId, user);
            }

            if (!user.Seen.Add(itemId))
            {
                throw ratings.Error(ratings.RecordLine, $"user {userId} rates movie {fields[1]} more than once");
            }

            user.List.Add(new UserInteraction(itemId, rating, timestamp));
        }

        var profiles = new List<UserProfile>(byUser.Count);
        foreach (KeyValuePair<long, (List<UserInteraction> List, HashSet<string> Seen)> pair in byUser)
        {
            profiles.Add(new UserProfile(pair.Key.ToString(CultureInfo.InvariantCulture), pair.Value.List));
        }

        return new InteractionDataset(items, profiles);
    }

    private static void ReadHeader(CsvRecordReader reader, List<string> fields, string expected)
    {
        if (!reader.TryRead(fields))
        {
            throw reader.Error(1, $"the file is empty; expected the header '{expected}'");
        }

        string header = string.Join(',', fields);
        if (header.Length > 0 && header[0] == '\uFEFF')
        {
            header = header[1..];
        }

        if (!string.Equals(header, expected, StringComparison.Ordinal))
        {
            throw reader.Error(reader.RecordLine, $"the header is '{header}'; expected '{expected}'");
        }
    }

    private static void RequireFieldCount(CsvRecordReader reader, List<string> fields, int expected)
    {
        if (fields.Count != expected)
        {
            throw reader.Error(reader.RecordLine, $"the row has {fields.Count} fields; expected {expected} (quote fields that contain commas)");
        }
    }

    private static long RequireInteger(CsvRecordReader reader, string value, string column)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            throw reader.Error(reader.RecordLine, $"{column} '{value}' is not a non-negative integer");
        }

        return number;
    }

    private static (string Title, int? Year) SplitYear(string title)
    {
        // "Toy Story (1995)" -> ("Toy Story", 1995); a title without a trailing four-digit year keeps its text.
        if (title.Length >= 7 && title[^1] == ')' && title[^6] == '(' && title[^7] == ' '
            && int.TryParse(title.AsSpan(title.Length - 5, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year))
        {
            return (title[..^7].TrimEnd(), year);
        }

        return (title, null);
    }
}
