namespace PromptKit.Samples.Recommendation;

/// <summary>
/// A user's hidden traits, each a percentile in [0, 1] over the users of the data set the simulator was given, and the
/// history length that suits the user best. They decide which prompt works for the user (see
/// <see cref="SimulatedRecommenderChatClient"/>).
/// </summary>
internal readonly record struct UserTraits(
    double Concentration,
    double Drift,
    double RatingSpread,
    double Mainstream,
    double EraFocus,
    int BestHistoryCount)
{
    /// <summary>Traits of a user of whom nothing is known: every percentile 0.5.</summary>
    public static UserTraits Neutral { get; } = new(0.5, 0.5, 0.5, 0.5, 0.5, 8);
}

/// <summary>Computes raw traits from interactions and turns them into percentiles over a reference population.</summary>
internal sealed class UserTraitScale
{
    private const int MinimumInteractions = 6;
    private readonly double[][] _sorted;

    public UserTraitScale(IEnumerable<RawTraits> population)
    {
        RawTraits[] all = [.. population];
        _sorted = new double[5][];
        for (int t = 0; t < 5; t++)
        {
            double[] values = [.. all.Select(r => r[t]).Where(double.IsFinite)];
            Array.Sort(values);
            _sorted[t] = values;
        }
    }

    /// <summary>Raw traits of a list of (item, rating-or-NaN) in chronological order; NaN where not enough is known.</summary>
    public static RawTraits Measure(IReadOnlyList<RecommendationItem> items, IReadOnlyList<double> ratings, ItemSimilarity similarity)
    {
        int n = items.Count;
        if (n < MinimumInteractions)
        {
            return new RawTraits(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var all = new Dictionary<string, double>(StringComparer.Ordinal);
        var early = new Dictionary<string, double>(StringComparer.Ordinal);
        var late = new Dictionary<string, double>(StringComparer.Ordinal);
        int split = (int)(0.7 * n);
        double mentions = 0;
        double popularity = 0;
        var years = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            RecommendationItem item = items[i];
            foreach (string genre in item.Genres)
            {
                all[genre] = all.GetValueOrDefault(genre) + 1;
                Dictionary<string, double> part = i < split ? early : late;
                part[genre] = part.GetValueOrDefault(genre) + 1;
                mentions++;
            }

            popularity += similarity.LogPopularity(item.Id);
            if (item.Year is int year)
            {
                years.Add(year);
            }
        }

        double concentration = mentions == 0 ? double.NaN : all.Values.OrderByDescending(v => v).Take(2).Sum() / mentions;
        double drift = 1 - Cosine(early, late);
        double spread = StandardDeviation(ratings.Where(double.IsFinite).ToList());
        double eraFocus = years.Count < 2 ? double.NaN : -StandardDeviation(years);
        return new RawTraits(concentration, drift, spread, popularity / n, eraFocus);
    }

    public UserTraits ToTraits(RawTraits raw)
    {
        double drift = Percentile(1, raw.Drift);
        int best = (int)Math.Round(5 + (10 * (1 - drift)));
        return new UserTraits(Percentile(0, raw.Concentration), drift, Percentile(2, raw.RatingSpread), Percentile(3, raw.Mainstream), Percentile(4, raw.EraFocus), best);
    }

    private double Percentile(int trait, double value)
    {
        double[] sorted = _sorted[trait];
        if (!double.IsFinite(value) || sorted.Length == 0)
        {
            return 0.5;
        }

        int index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            index = ~index;
        }

        return (index + 0.5) / (sorted.Length + 1.0);
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0;
        foreach (KeyValuePair<string, double> pair in a)
        {
            dot += pair.Value * b.GetValueOrDefault(pair.Key);
        }

        double na = Math.Sqrt(a.Values.Sum(v => v * v));
        double nb = Math.Sqrt(b.Values.Sum(v => v * v));
        return na == 0 || nb == 0 ? 0 : dot / (na * nb);
    }

    private static double StandardDeviation(List<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}

/// <summary>Raw trait values: top-2 genre share, genre drift (early 70 % vs late 30 %), rating standard deviation, mean log-popularity, minus the standard deviation of release years.</summary>
internal readonly record struct RawTraits(double Concentration, double Drift, double RatingSpread, double Mainstream, double EraFocus)
{
    public double this[int trait] => trait switch
    {
        0 => Concentration,
        1 => Drift,
        2 => RatingSpread,
        3 => Mainstream,
        _ => EraFocus,
    };
}
