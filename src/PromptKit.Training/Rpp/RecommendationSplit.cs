using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>A leave-last-out split of an <see cref="InteractionDataset"/> into disjoint train, validation and test users.</summary>
/// <remarks>
/// <para>How <see cref="Create"/> splits, step by step:</para>
/// <list type="number">
/// <item><description>A user is eligible with at least <see cref="RecommendationSplitOptions.MinimumHistory"/> + 1
/// interactions and at least <see cref="RecommendationSplitOptions.CandidateCount"/> - 1 catalogue items never interacted
/// with.</description></item>
/// <item><description>The eligible users, in data set order, are shuffled with <see cref="RecommendationSplitOptions.Seed"/>;
/// the first <see cref="RecommendationSplitOptions.TrainUsers"/> go to <see cref="Train"/>, the next
/// <see cref="RecommendationSplitOptions.ValidationUsers"/> to <see cref="Validation"/>, the next
/// <see cref="RecommendationSplitOptions.TestUsers"/> to <see cref="Test"/>. Users are never shared between parts.</description></item>
/// <item><description>For each of them, the last interaction (by timestamp, then item id) is the target and all earlier
/// ones are the history.</description></item>
/// <item><description>The negatives are <c>CandidateCount - 1</c> distinct items drawn uniformly from the items the user
/// never interacted with, and the candidates (target and negatives) are shuffled, so the target's position is uniform; a
/// generator seeded from the seed and the user id draws both, so a user's example does not depend on the part sizes.</description></item>
/// </list>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class RecommendationSplit
{
    private RecommendationSplit(
        ImmutableArray<RecommendationExample> train,
        ImmutableArray<RecommendationExample> validation,
        ImmutableArray<RecommendationExample> test,
        InteractionDataset trainingInteractions)
    {
        Train = train;
        Validation = validation;
        Test = test;
        TrainingInteractions = trainingInteractions;
    }

    /// <summary>Gets the training examples.</summary>
    public ImmutableArray<RecommendationExample> Train { get; }

    /// <summary>Gets the validation examples; empty when <see cref="RecommendationSplitOptions.ValidationUsers"/> is 0.</summary>
    public ImmutableArray<RecommendationExample> Validation { get; }

    /// <summary>Gets the test examples.</summary>
    public ImmutableArray<RecommendationExample> Test { get; }

    /// <summary>
    /// Gets every interaction of the data set except the held-out target of each user in <see cref="Train"/>,
    /// <see cref="Validation"/> and <see cref="Test"/>, with the full catalogue: fit item similarities, popularity or
    /// features on it without leaking any target. Users outside the split keep all their interactions.
    /// </summary>
    public InteractionDataset TrainingInteractions { get; }

    /// <summary>Splits <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are validated and copied.</param>
    /// <returns>The split.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks at least one rule; every failure is listed.</exception>
    /// <exception cref="ArgumentException">The data set has fewer eligible users than the three parts need together.</exception>
    public static RecommendationSplit Create(InteractionDataset dataset, RecommendationSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new RecommendationSplitOptions();
        RecommendationSplitOptionsValidator.ThrowIfInvalid(options);
        int trainUsers = options.TrainUsers;
        int validationUsers = options.ValidationUsers;
        int testUsers = options.TestUsers;
        int candidateCount = options.CandidateCount;
        int minimumHistory = options.MinimumHistory;
        int seed = options.Seed;

        ImmutableArray<string> catalogue = dataset.ItemIds;

        var eligible = new List<UserProfile>();
        foreach (UserProfile user in dataset.Users)
        {
            if (user.Interactions.Length >= minimumHistory + 1 && catalogue.Length - CountDistinctItems(user) >= candidateCount - 1)
            {
                eligible.Add(user);
            }
        }

        long needed = (long)trainUsers + validationUsers + testUsers;
        if (eligible.Count < needed)
        {
            throw new ArgumentException(
                $"The data set has {eligible.Count} eligible users (at least {minimumHistory + 1} interactions and {candidateCount - 1} items never interacted with), " +
                $"but TrainUsers + ValidationUsers + TestUsers = {needed}. Lower the part sizes, MinimumHistory or CandidateCount.",
                nameof(dataset));
        }

        var shuffle = new Random(seed);
        for (int i = eligible.Count - 1; i > 0; i--)
        {
            int j = shuffle.Next(i + 1);
            (eligible[i], eligible[j]) = (eligible[j], eligible[i]);
        }

        var heldOut = new HashSet<string>(StringComparer.Ordinal);
        ImmutableArray<RecommendationExample> train = CreatePart(eligible, 0, trainUsers);
        ImmutableArray<RecommendationExample> validation = CreatePart(eligible, trainUsers, validationUsers);
        ImmutableArray<RecommendationExample> test = CreatePart(eligible, trainUsers + validationUsers, testUsers);

        var profiles = new List<UserProfile>(dataset.UserCount);
        foreach (UserProfile user in dataset.Users)
        {
            profiles.Add(heldOut.Contains(user.UserId) ? new UserProfile(user.UserId, user.Interactions[..^1]) : user);
        }

        return new RecommendationSplit(train, validation, test, new InteractionDataset(dataset.Items.Values, profiles));

        ImmutableArray<RecommendationExample> CreatePart(List<UserProfile> users, int start, int count)
        {
            var part = ImmutableArray.CreateBuilder<RecommendationExample>(count);
            for (int i = start; i < start + count; i++)
            {
                UserProfile user = users[i];
                heldOut.Add(user.UserId);
                part.Add(CreateExample(dataset, user, catalogue, candidateCount, seed));
            }

            return part.MoveToImmutable();
        }
    }

    private static RecommendationExample CreateExample(InteractionDataset dataset, UserProfile user, ImmutableArray<string> catalogue, int candidateCount, int seed)
    {
        ImmutableArray<UserInteraction> history = user.Interactions[..^1];
        RecommendationItem target = dataset.Items[user.Interactions[^1].ItemId];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (UserInteraction interaction in user.Interactions)
        {
            seen.Add(interaction.ItemId);
        }

        var random = new Random(unchecked((seed * 486_187_739) ^ StableHash(user.UserId)));
        List<RecommendationItem> candidates = DrawCandidates(dataset.Items, catalogue, seen, target, candidateCount, random);
        var historyItems = new RecommendationItem[history.Length];
        for (int i = 0; i < history.Length; i++)
        {
            historyItems[i] = dataset.Items[history[i].ItemId];
        }

        return new RecommendationExample(user.UserId, history, historyItems, target, candidates);
    }

    /// <summary>Draws <paramref name="candidateCount"/> - 1 distinct negatives uniformly from the catalogue items not in
    /// <paramref name="seen"/> and returns them with the target, shuffled; <paramref name="seen"/> may be changed.</summary>
    internal static List<RecommendationItem> DrawCandidates(IReadOnlyDictionary<string, RecommendationItem> items, ImmutableArray<string> catalogue, HashSet<string> seen, RecommendationItem target, int candidateCount, Random random)
    {
        int negatives = candidateCount - 1;
        var candidates = new List<RecommendationItem>(candidateCount) { target };
        if (catalogue.Length - seen.Count < 4 * negatives)
        {
            // Few unseen items: draw from the explicit list, so sampling ends quickly.
            var unseen = new List<string>();
            foreach (string id in catalogue)
            {
                if (!seen.Contains(id))
                {
                    unseen.Add(id);
                }
            }

            for (int i = 0; i < negatives; i++)
            {
                int j = random.Next(i, unseen.Count);
                (unseen[i], unseen[j]) = (unseen[j], unseen[i]);
                candidates.Add(items[unseen[i]]);
            }
        }
        else
        {
            while (candidates.Count < candidateCount)
            {
                string id = catalogue[random.Next(catalogue.Length)];
                if (seen.Add(id))
                {
                    candidates.Add(items[id]);
                }
            }
        }

        for (int i = candidates.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        return candidates;
    }

    private static int CountDistinctItems(UserProfile user)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (UserInteraction interaction in user.Interactions)
        {
            ids.Add(interaction.ItemId);
        }

        return ids.Count;
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static int StableHash(string text)
    {
        uint hash = 2_166_136_261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16_777_619);
        }

        return unchecked((int)hash);
    }
}
