namespace PromptKit.Samples.Recommendation;

/// <summary>
/// A user's traits as the simulator reads them from the items a prompt shows (never from anything else), each a
/// percentile in [0, 1] over the same measurement on windows of the data set's users; 0.5 where the prompt shows too
/// little (fewer than 3 items, or no ratings for the rating spread).
/// </summary>
internal readonly record struct UserTraits(double Concentration, double Drift, double RatingSpread, double Mainstream, double EraFocus)
{
    /// <summary>Traits of a user of whom the prompt shows nothing: every percentile 0.5.</summary>
    public static UserTraits Neutral { get; } = new(0.5, 0.5, 0.5, 0.5, 0.5);
}

/// <summary>Measures raw traits on a list of shown items and turns them into percentiles over a reference population.</summary>
internal sealed class UserTraitScale
{
    private const int MinimumItems = 3;
    private readonly double[][] _sorted;
    private readonly ItemSimilarity _similarity;
    private readonly bool _alternative;
    private readonly int _topDecilePopularity;

    /// <summary>Builds the scale on the last <paramref name="window"/> interactions (in chronological order, ratings
    /// shown) of every user of <paramref name="data"/>: the kind of list a prompt shows.</summary>
    public UserTraitScale(InteractionDataset data, ItemSimilarity similarity, int window, bool alternative)
    {
        _similarity = similarity;
        _alternative = alternative;
        int[] popularity = [.. data.Items.Keys.Select(similarity.Popularity).OrderDescending()];
        _topDecilePopularity = popularity.Length == 0 ? int.MaxValue : Math.Max(1, popularity[popularity.Length / 10]);
        var population = new List<RawTraits>(data.UserCount);
        foreach (UserProfile user in data.Users)
        {
            int skip = Math.Max(0, user.Interactions.Length - window);
            UserInteraction[] shown = [.. user.Interactions.Skip(skip)];
            population.Add(Measure([.. shown.Select(i => data.Items[i.ItemId])], [.. shown.Select(i => i.Rating)]));
        }

        _sorted = new double[5][];
        for (int t = 0; t < 5; t++)
        {
            double[] values = [.. population.Select(r => r[t]).Where(double.IsFinite)];
            Array.Sort(values);
            _sorted[t] = values;
        }
    }

    /// <summary>The percentile traits of the shown items (in the order shown; ratings NaN when not shown).</summary>
    public UserTraits Traits(IReadOnlyList<RecommendationItem> items, IReadOnlyList<double> ratings)
    {
        RawTraits raw = Measure(items, ratings);
        return new UserTraits(Percentile(0, raw.Concentration), Percentile(1, raw.Drift), Percentile(2, raw.RatingSpread), Percentile(3, raw.Mainstream), Percentile(4, raw.EraFocus));
    }

    /// <summary>Raw traits; NaN where too little is shown. Standard: top-2 genre share; 1 − cosine of the genre counts of
    /// the first 70 % and last 30 % of the list; standard deviation of ratings; mean log-popularity; minus the standard
    /// deviation of years. Alternative: 1 − normalized genre entropy; Jaccard distance of the genre sets of the two halves;
    /// mean absolute deviation of ratings from their median; share of top-decile-popular items; minus the range of years.</summary>
    private RawTraits Measure(IReadOnlyList<RecommendationItem> items, IReadOnlyList<double> ratings)
    {
        int n = items.Count;
        if (n < MinimumItems)
        {
            return new RawTraits(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var all = new Dictionary<string, double>(StringComparer.Ordinal);
        var early = new Dictionary<string, double>(StringComparer.Ordinal);
        var late = new Dictionary<string, double>(StringComparer.Ordinal);
        int split = _alternative ? n / 2 : (int)(0.7 * n);
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

            popularity += _alternative ? (_similarity.Popularity(item.Id) >= _topDecilePopularity ? 1 : 0) : _similarity.LogPopularity(item.Id);
            if (item.Year is int year)
            {
                years.Add(year);
            }
        }

        List<double> shownRatings = [.. ratings.Where(double.IsFinite)];
        if (!_alternative)
        {
            double concentration = mentions == 0 ? double.NaN : all.Values.OrderByDescending(v => v).Take(2).Sum() / mentions;
            return new RawTraits(concentration, 1 - Cosine(early, late), StandardDeviation(shownRatings), popularity / n, years.Count < 2 ? double.NaN : -StandardDeviation(years));
        }

        double entropy = 0;
        foreach (double count in all.Values)
        {
            double p = count / mentions;
            entropy -= p * Math.Log(p);
        }

        double focus = mentions == 0 || all.Count < 2 ? (mentions == 0 ? double.NaN : 1) : 1 - (entropy / Math.Log(all.Count));
        int union = early.Keys.Union(late.Keys).Count();
        double jaccard = union == 0 ? double.NaN : 1 - ((double)early.Keys.Intersect(late.Keys).Count() / union);
        return new RawTraits(focus, jaccard, MeanAbsoluteDeviation(shownRatings), popularity / n, years.Count < 2 ? double.NaN : -(years.Max() - years.Min()));
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

    private static double MeanAbsoluteDeviation(List<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return values.Average(v => Math.Abs(v - median));
    }
}

/// <summary>Raw trait values in the order concentration, drift, rating spread, mainstreamness, era focus.</summary>
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
