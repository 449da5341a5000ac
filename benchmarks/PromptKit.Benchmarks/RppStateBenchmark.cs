using BenchmarkDotNet.Attributes;
using PromptKit.Training;

namespace PromptKit.Benchmarks;

/// <summary>
/// The RPP observation of one episode state (user features with profile statistics, the previous prompt's hashed text,
/// the top-5 ranked items packed for the GRU), and one draw of fresh negatives for a training episode; a synthetic
/// catalogue of 2,000 movies and 300 users with 40 to 80 interactions each (seed 42).
/// </summary>
public class RppStateBenchmark
{
    private RppStateEncoder _encoder = null!;
    private RppEpisode _episode = null!;
    private CandidateResampler _resampler = null!;
    private RecommendationExample _example = null!;
    private float[] _observation = [];
    private readonly Random _random = new(7);

    /// <summary>Builds the catalogue, the users and one episode after one answered iteration.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] genres = ["Action", "Comedy", "Drama", "Horror", "Romance", "Sci-Fi", "Thriller", "Animation"];
        var items = Enumerable.Range(0, 2000)
            .Select(i => new RecommendationItem($"m{i}", $"Movie {i}", [genres[i % genres.Length], genres[(i / 8) % genres.Length]], 1950 + (i % 70)))
            .ToList();
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var users = new List<UserProfile>();
        for (int u = 0; u < 300; u++)
        {
            int count = 40 + random.Next(41);
            users.Add(new UserProfile($"u{u}", Enumerable.Range(0, count).Select(k => new UserInteraction(items[random.Next(items.Count)].Id, 1 + random.Next(9) * 0.5, start.AddDays(k))).DistinctBy(x => x.ItemId)));
        }

        var data = new InteractionDataset(items, users);
        RecommendationSplit split = RecommendationSplit.Create(data, new RecommendationSplitOptions { TrainUsers = 100, ValidationUsers = 0, TestUsers = 100, MinimumHistory = 5 });
        var spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        _encoder = new RppStateEncoder(new ItemFeatureEncoder(split.TrainingInteractions), spaces, iterations: 15);
        _example = split.Train[0];
        _episode = new RppEpisode(_example, composer);
        var selection = new RppSelection(1, 5, 2, 1);
        Prompt prompt = _episode.Compose(selection);
        _episode.Advance(selection, prompt, string.Join(", ", _example.Candidates.Select(c => c.Id)));
        _resampler = new CandidateResampler(split.TrainingInteractions);
        _observation = new float[_encoder.Dimension];
    }

    /// <summary>One observation: what every step of training and inference computes before the agents act.</summary>
    [Benchmark]
    public float Encode()
    {
        _encoder.Encode(_episode, _observation);
        return _observation[0];
    }

    /// <summary>One fresh candidate set for a training episode.</summary>
    [Benchmark]
    public int Resample() => _resampler.Resample(_example, _random).TargetIndex;
}
