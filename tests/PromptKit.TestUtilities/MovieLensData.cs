using PromptKit.Samples.Recommendation;

namespace PromptKit.TestUtilities;

/// <summary>The bundled MovieLens data, loaded once per test run.</summary>
public static class MovieLensData
{
    private static readonly Lazy<InteractionDataset> Loaded = new(() => MovieLensLoader.Load(Directory));

    /// <summary>Gets <c>samples/data/movielens-ml-latest-small</c> of the repository (found by walking up to PromptKit.sln).</summary>
    public static string Directory => Path.Combine(RepositoryPaths.Root, "samples", "data", "movielens-ml-latest-small");

    public static InteractionDataset Dataset => Loaded.Value;
}

/// <summary>A temporary folder for hand-written MovieLens files; deleted on dispose.</summary>
public sealed class TempMovieLens : IDisposable
{
    public const string MoviesHeader = "movieId,title,genres\n";
    public const string RatingsHeader = "userId,movieId,rating,timestamp\n";

    public TempMovieLens(string? movies, string? ratings)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "promptkit-ml-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
        if (movies is not null)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "movies.csv"), movies);
        }

        if (ratings is not null)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "ratings.csv"), ratings);
        }
    }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
}
