using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Numerics.Tensors;

namespace PromptKit;

/// <summary>Encodes items and users as fixed-size feature vectors, for the state encoders of prompt-personalization policies.</summary>
/// <remarks>
/// <para>Item vector, <see cref="Dimension"/> = G + 3 floats, where G is the number of genres of the data set
/// (<see cref="Genres"/>):</para>
/// <list type="bullet">
/// <item><description>slots 0 … G-1: genre multi-hot (1 when the item has the genre of <see cref="Genres"/> at that index, else 0);</description></item>
/// <item><description>slot G: release year scaled to [0, 1] over the catalogue's year range (0 when the year is unknown);</description></item>
/// <item><description>slot G+1: 1 when the year is known, else 0;</description></item>
/// <item><description>slot G+2: popularity, <c>log(1 + n) / log(1 + max n)</c>, n = the item's interaction count in the data
/// set the encoder was built from (give it the training interactions of a split (PromptKit.Training's <c>RecommendationSplit.TrainingInteractions</c>), so held-out targets do
/// not count).</description></item>
/// </list>
/// <para>User vector, <see cref="UserDimension"/> = <see cref="Dimension"/> + 2 + <see cref="ProfileStatisticCount"/> floats:</para>
/// <list type="bullet">
/// <item><description>slots 0 … Dimension-1: the rating-weighted mean of the history items' vectors (weight = rating; a
/// history whose weights sum to 0 or less uses equal weights);</description></item>
/// <item><description>slot Dimension: history length, <c>log(1 + length) / log(1 + longest profile)</c>;</description></item>
/// <item><description>slot Dimension+1: mean rating divided by the highest rating in the data set;</description></item>
/// <item><description>slots Dimension+2 … Dimension+6: five profile statistics, each standardized (z-score, clipped to
/// ±3) over the users of the data set the encoder was built from: genre concentration (the share of the history's genre
/// mentions that fall on its two most frequent genres); genre drift (1 − cosine between the genre counts of the first
/// 70 % of the history and of the last 30 %, in the order given: chronological for
/// <see cref="RecommendationExample.History"/>); rating spread (standard deviation of the ratings); mainstreamness (mean
/// item popularity, unweighted); era spread (standard deviation of the scaled release years of the items whose year is
/// known).</description></item>
/// </list>
/// <para>The statistics say how focused, how changing, how discriminating, how mainstream and how era-bound a user's
/// taste is: the kind of thing that decides which prompt suits a user. They are standardized so that a policy network
/// sees differences between users at a usable scale. They were designed together with the simulated recommender of the
/// samples (its trait rules use the same five definitions, measured there on the items a prompt shows); its
/// <c>traits</c> variant defines every trait differently, to check that RPP does not depend on the match
/// (docs/rpp.md).</para>
/// <para>An empty history gives a zero vector. The methods allocate nothing. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ItemFeatureEncoder
{
    private readonly FrozenDictionary<string, int> _rows;
    private readonly float[] _features;
    private readonly float _logLongestProfile;
    private readonly float _maxRating;
    private readonly float[] _statisticMeans = new float[ProfileStatisticCount];
    private readonly float[] _statisticScales = new float[ProfileStatisticCount];

    /// <summary>Initializes a new instance of the <see cref="ItemFeatureEncoder"/> class.</summary>
    /// <param name="trainingInteractions">The catalogue and the interactions to count popularity on; use the training interactions of a split (PromptKit.Training's <c>RecommendationSplit.TrainingInteractions</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="trainingInteractions"/> is <see langword="null"/>.</exception>
    public ItemFeatureEncoder(InteractionDataset trainingInteractions)
    {
        ArgumentNullException.ThrowIfNull(trainingInteractions);
        Genres = trainingInteractions.Genres;
        Dimension = Genres.Length + 3;
        UserDimension = Dimension + 2 + ProfileStatisticCount;

        ImmutableArray<string> ids = trainingInteractions.ItemIds;
        var rows = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            rows.Add(ids[i], i);
        }

        var counts = new int[ids.Length];
        int longest = 0;
        double maxRating = 0;
        foreach (UserProfile user in trainingInteractions.Users)
        {
            longest = Math.Max(longest, user.Interactions.Length);
            foreach (UserInteraction interaction in user.Interactions)
            {
                counts[rows[interaction.ItemId]]++;
                maxRating = Math.Max(maxRating, interaction.Rating);
            }
        }

        int minYear = int.MaxValue;
        int maxYear = int.MinValue;
        foreach (RecommendationItem item in trainingInteractions.Items.Values)
        {
            if (item.Year is int year)
            {
                minYear = Math.Min(minYear, year);
                maxYear = Math.Max(maxYear, year);
            }
        }

        var genreIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < Genres.Length; g++)
        {
            genreIndex.Add(Genres[g], g);
        }

        int maxCount = counts.Length == 0 ? 0 : counts.Max();
        double logMax = Math.Log(1 + maxCount);
        _features = new float[ids.Length * Dimension];
        for (int i = 0; i < ids.Length; i++)
        {
            RecommendationItem item = trainingInteractions.Items[ids[i]];
            Span<float> row = _features.AsSpan(i * Dimension, Dimension);
            foreach (string genre in item.Genres)
            {
                row[genreIndex[genre]] = 1f;
            }

            if (item.Year is int year)
            {
                row[Genres.Length] = maxYear > minYear ? (float)(year - minYear) / (maxYear - minYear) : 0.5f;
                row[Genres.Length + 1] = 1f;
            }

            row[Genres.Length + 2] = logMax > 0 ? (float)(Math.Log(1 + counts[i]) / logMax) : 0f;
        }

        _rows = rows.ToFrozenDictionary(StringComparer.Ordinal);
        _logLongestProfile = (float)Math.Log(1 + longest);
        _maxRating = maxRating > 0 ? (float)maxRating : 1f;
        FitStatisticScales(trainingInteractions);
    }

    /// <summary>Gets the number of standardized profile statistics at the end of a user vector.</summary>
    public const int ProfileStatisticCount = 5;

    /// <summary>Gets the genre vocabulary: slot <c>i</c> of an item vector is genre <c>Genres[i]</c>.</summary>
    public ImmutableArray<string> Genres { get; }

    /// <summary>Gets the length of an item vector.</summary>
    public int Dimension { get; }

    /// <summary>Gets the length of a user vector.</summary>
    public int UserDimension { get; }

    /// <summary>Writes the feature vector of an item into the first <see cref="Dimension"/> floats of <paramref name="destination"/>.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="destination">The destination; at least <see cref="Dimension"/> long.</param>
    /// <exception cref="ArgumentNullException"><paramref name="itemId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Dimension"/>, or the item is not in the catalogue.</exception>
    public void Encode(string itemId, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        RequireLength(destination, Dimension);
        Row(itemId, nameof(itemId)).CopyTo(destination);
    }

    /// <summary>Writes the feature vector of a user, from the user's history, into the first <see cref="UserDimension"/> floats of <paramref name="destination"/>.</summary>
    /// <param name="history">The interactions to describe the user by (for example <see cref="RecommendationExample.History"/>).</param>
    /// <param name="destination">The destination; at least <see cref="UserDimension"/> long.</param>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="UserDimension"/>, or an interaction is <see langword="null"/> or names an item that is not in the catalogue.</exception>
    public void EncodeUser(IReadOnlyList<UserInteraction> history, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        RequireLength(destination, UserDimension);
        Span<float> mean = destination[..Dimension];
        destination[..UserDimension].Clear();
        int n = history.Count;
        if (n == 0)
        {
            return;
        }

        // One pass over the history: the rating-weighted and the plain sums of the item vectors, and the raw statistics.
        Span<float> plain = Dimension <= 256 ? stackalloc float[Dimension] : new float[Dimension];
        plain.Clear();
        Span<float> statistics = destination.Slice(Dimension + 2, ProfileStatisticCount);
        double ratingSum = MeasureProfile(history, statistics, mean, plain);
        bool uniform = ratingSum <= 0; // the weights (ratings) sum to nothing: equal weights
        if (uniform)
        {
            plain.CopyTo(mean);
        }

        TensorPrimitives.Divide(mean, uniform ? n : (float)ratingSum, mean);
        destination[Dimension] = _logLongestProfile > 0 ? Math.Min(1f, (float)Math.Log(1 + n) / _logLongestProfile) : 0f;
        destination[Dimension + 1] = (float)(ratingSum / n) / _maxRating;
        for (int s = 0; s < statistics.Length; s++)
        {
            statistics[s] = Math.Clamp((statistics[s] - _statisticMeans[s]) / _statisticScales[s], -3f, 3f);
        }
    }

    private void FitStatisticScales(InteractionDataset data)
    {
        Span<float> row = stackalloc float[ProfileStatisticCount];
        var sums = new double[ProfileStatisticCount];
        var squares = new double[ProfileStatisticCount];
        int measured = 0;
        foreach (UserProfile user in data.Users)
        {
            if (user.Interactions.Length == 0)
            {
                continue;
            }

            MeasureProfile(user.Interactions, row, [], []);
            for (int s = 0; s < ProfileStatisticCount; s++)
            {
                sums[s] += row[s];
                squares[s] += (double)row[s] * row[s];
            }

            measured++;
        }

        for (int s = 0; s < ProfileStatisticCount; s++)
        {
            double mean = measured > 0 ? sums[s] / measured : 0;
            double sd = measured > 1 ? StandardDeviation(sums[s], squares[s], measured) : 0;
            _statisticMeans[s] = (float)mean;
            _statisticScales[s] = sd > 1e-6 ? (float)sd : 1f;
        }
    }

    /// <summary>The population standard deviation from a sum and a sum of squares over <paramref name="count"/> values.</summary>
    private static double StandardDeviation(double sum, double squares, int count)
    {
        double mean = sum / count;
        return Math.Sqrt(Math.Max(0, (squares / count) - (mean * mean)));
    }

    // Writes the five raw profile statistics and returns the rating sum; with non-empty sums, also adds each item's vector
    // weighted by its rating to weightedSum and unweighted to plainSum (EncodeUser's mean, in the same pass).
    private double MeasureProfile(IReadOnlyList<UserInteraction> history, Span<float> destination, Span<float> weightedSum, Span<float> plainSum)
    {
        int genres = Genres.Length;
        int n = history.Count;
        int split = (int)(0.7 * n);
        Span<float> early = genres <= 128 ? stackalloc float[genres] : new float[genres];
        Span<float> late = genres <= 128 ? stackalloc float[genres] : new float[genres];
        early.Clear();
        late.Clear();
        double ratingSum = 0;
        double ratingSquares = 0;
        double popularity = 0;
        double yearSum = 0;
        double yearSquares = 0;
        int years = 0;
        for (int i = 0; i < n; i++)
        {
            UserInteraction interaction = history[i] ?? throw new ArgumentException($"The interaction at index {i} is null.", nameof(history));
            ReadOnlySpan<float> row = Row(interaction.ItemId, nameof(history));
            if (!weightedSum.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(row, (float)interaction.Rating, weightedSum, weightedSum);
                TensorPrimitives.Add(row, plainSum, plainSum);
            }

            Span<float> part = i < split ? early : late;
            TensorPrimitives.Add(part, row[..genres], part);
            ratingSum += interaction.Rating;
            ratingSquares += interaction.Rating * interaction.Rating;
            popularity += row[genres + 2];
            if (row[genres + 1] > 0)
            {
                yearSum += row[genres];
                yearSquares += row[genres] * row[genres];
                years++;
            }
        }

        float earlyNorm = TensorPrimitives.Norm(early);
        float lateNorm = TensorPrimitives.Norm(late);
        float cosine = earlyNorm > 0 && lateNorm > 0 ? TensorPrimitives.Dot(early, late) / (earlyNorm * lateNorm) : 0f;
        TensorPrimitives.Add(early, late, early); // every genre mention
        float mentions = TensorPrimitives.Sum(early);
        float top = 0;
        float second = 0;
        foreach (float count in early)
        {
            if (count > top)
            {
                second = top;
                top = count;
            }
            else if (count > second)
            {
                second = count;
            }
        }

        destination[0] = mentions > 0 ? (top + second) / mentions : 0f;
        destination[1] = 1f - cosine;
        destination[2] = n > 0 ? (float)StandardDeviation(ratingSum, ratingSquares, n) : 0f;
        destination[3] = n > 0 ? (float)(popularity / n) : 0f;
        destination[4] = years > 1 ? (float)StandardDeviation(yearSum, yearSquares, years) : 0f;
        return ratingSum;
    }

    private ReadOnlySpan<float> Row(string itemId, string paramName)
    {
        if (!_rows.TryGetValue(itemId, out int row))
        {
            throw new ArgumentException($"Item '{itemId}' is not in the encoder's catalogue.", paramName);
        }

        return _features.AsSpan(row * Dimension, Dimension);
    }

    private static void RequireLength(Span<float> destination, int length)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination length {destination.Length} is shorter than the vector length {length}.", nameof(destination));
        }
    }
}
