using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace PromptKit.Samples.Recommendation;

/// <summary>
/// The constants, the user-trait definition and the keyword vocabulary of a <see cref="SimulatedRecommenderChatClient"/>:
/// <see cref="Default"/>, and three variants fixed before any test user was looked at (<see cref="OtherConstants"/>,
/// <see cref="OtherTraits"/>, <see cref="OtherVocabulary"/>), so that a result can be checked under simulators that
/// nothing was tuned to. The rules themselves are in this sample's README.md.
/// </summary>
public sealed class SimulatorRules
{
    private SimulatorRules(string name)
    {
        Name = name;
    }

    /// <summary>Gets the fair default rules.</summary>
    public static SimulatorRules Default { get; } = new("default");

    /// <summary>Gets the variant with other rule constants: stronger reasoning effects (0.40 instead of 0.25), lower base
    /// attention (0.35), more noise (0.20), a weaker named-genre pull, stronger "lost in the middle", other small bonuses.</summary>
    public static SimulatorRules OtherConstants { get; } = new("constants")
    {
        Match = 0.40,
        BaseAttention = 0.35,
        Noise = 0.20,
        NamedGenreWeight = 0.08,
        MiddleWeight = 0.3,
        StepBonus = 0.02,
        CompareBonus = 0.12,
        ComparePerItem = 0.012,
        CollaborativeBonus = 0.08,
        ReasonFormatBonus = 0.0,
        IdFormatBonus = 0.04,
        TraitWindow = 15,
    };

    /// <summary>Gets the variant with another definition of every user trait (entropy instead of top-2 share, Jaccard
    /// instead of cosine drift, mean absolute deviation instead of standard deviation, share of top-decile items instead of
    /// mean log-popularity, range instead of standard deviation of years).</summary>
    public static SimulatorRules OtherTraits { get; } = new("traits") { AlternativeTraits = true };

    /// <summary>Gets the variant with another keyword vocabulary for every family (several default sentences fall outside
    /// it, and the model then ignores them).</summary>
    public static SimulatorRules OtherVocabulary { get; } = new("vocabulary") { Vocabulary = SimulatorVocabulary.Alternative };

    /// <summary>Gets every rule set, the default first.</summary>
    public static ImmutableArray<SimulatorRules> All { get; } = [Default, OtherConstants, OtherTraits, OtherVocabulary];

    /// <summary>Gets the name (default, constants, traits, vocabulary).</summary>
    public string Name { get; }

    /// <summary>Gets the largest attention change one reasoning family makes for a user at the end of its trait (±).</summary>
    public double Match { get; private init; } = 0.25;

    /// <summary>Gets the attention of a prompt with no fit at all.</summary>
    public double BaseAttention { get; private init; } = 0.45;

    /// <summary>Gets the weight of the per-prompt noise.</summary>
    public double Noise { get; private init; } = 0.15;

    /// <summary>Gets the pull towards candidates of genres named in the reasoning text (raw signal units).</summary>
    public double NamedGenreWeight { get; private init; } = 0.15;

    /// <summary>Gets the weight of history items in the middle of a long list ("lost in the middle").</summary>
    public double MiddleWeight { get; private init; } = 0.5;

    /// <summary>Gets the step-by-step bonus.</summary>
    public double StepBonus { get; private init; } = 0.05;

    /// <summary>Gets the comparison bonus before its per-item cost.</summary>
    public double CompareBonus { get; private init; } = 0.08;

    /// <summary>Gets the comparison cost per shown history item.</summary>
    public double ComparePerItem { get; private init; } = 0.008;

    /// <summary>Gets the collaborative family's constant part.</summary>
    public double CollaborativeBonus { get; private init; } = 0.05;

    /// <summary>Gets the bonus of a format that asks for a reason per item (the model reasons aloud).</summary>
    public double ReasonFormatBonus { get; private init; } = 0.05;

    /// <summary>Gets the bonus of an ids-only or "[id] Title" format.</summary>
    public double IdFormatBonus { get; private init; } = 0.02;

    /// <summary>Gets the number of last interactions of each data-set user on which the trait percentiles are measured.</summary>
    public int TraitWindow { get; private init; } = 10;

    /// <summary>Gets a value indicating whether the alternative trait definitions are used.</summary>
    public bool AlternativeTraits { get; private init; }

    /// <summary>Gets the keyword families.</summary>
    public SimulatorVocabulary Vocabulary { get; private init; } = SimulatorVocabulary.Standard;

    /// <summary>Finds rules by <see cref="Name"/>.</summary>
    /// <param name="name">default, constants, traits or vocabulary (case-insensitive).</param>
    /// <returns>The rules.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No rule set has that name.</exception>
    public static SimulatorRules Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (SimulatorRules rules in All)
        {
            if (string.Equals(rules.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return rules;
            }
        }

        throw new ArgumentException($"There is no simulator variant '{name}'; use one of {string.Join(", ", All.Select(r => r.Name))}.", nameof(name));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The reasoning strategies the simulator recognizes, each by a family of words.</summary>
public enum ReasoningFamily
{
    /// <summary>Content: genres.</summary>
    Genre,

    /// <summary>Sequential: recent taste.</summary>
    Recency,

    /// <summary>Rating-aware.</summary>
    Rating,

    /// <summary>Collaborative: what people with the same taste liked.</summary>
    Collaborative,

    /// <summary>Popularity.</summary>
    Popularity,

    /// <summary>Release era.</summary>
    Era,

    /// <summary>Step-by-step reasoning.</summary>
    StepByStep,

    /// <summary>Pairwise comparison.</summary>
    Compare,

    /// <summary>Diversity, away from the history.</summary>
    Diversity,

    /// <summary>Holistic.</summary>
    Overall,
}

/// <summary>The simulator's keyword families: each reasoning family and role is recognized by any of several phrasings,
/// matched case-insensitively at the start of a word (so "genre" also matches "genres").</summary>
public sealed class SimulatorVocabulary
{
    private readonly Dictionary<ReasoningFamily, Regex> _families;
    private readonly Regex _recommender;
    private readonly Regex _critic;
    private readonly Regex _friend;

    private SimulatorVocabulary(Dictionary<ReasoningFamily, string[]> families, string[] recommender, string[] critic, string[] friend)
    {
        Families = families.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray());
        _families = families.ToDictionary(p => p.Key, p => Words(p.Value));
        _recommender = Words(recommender);
        _critic = Words(critic);
        _friend = Words(friend);
    }

    /// <summary>Gets the standard vocabulary.</summary>
    public static SimulatorVocabulary Standard { get; } = new(
        new()
        {
            [ReasoningFamily.Genre] = ["genre", "kind of movie", "kinds of movie", "type of film", "types of film", "category", "categories"],
            [ReasoningFamily.Recency] = ["recent", "latest", "lately", "current taste", "newest", "last watched", "right now"],
            [ReasoningFamily.Rating] = ["rating", "rated", "score", "stars", "liked most", "favourite", "favorite"],
            [ReasoningFamily.Collaborative] = ["people who liked", "users who liked", "viewers who liked", "fans of", "also liked", "also enjoyed", "similar users", "others with the same taste"],
            [ReasoningFamily.Popularity] = ["popular", "well-known", "well known", "blockbuster", "mainstream", "widely seen"],
            [ReasoningFamily.Era] = ["release year", "year", "era", "decade", "period", "old films", "classic"],
            [ReasoningFamily.StepByStep] = ["step by step", "think carefully", "reason carefully", "think it through", "one step at a time", "reason through"],
            [ReasoningFamily.Compare] = ["compare", "comparison", "side by side", "one by one", "against every"],
            [ReasoningFamily.Diversity] = ["unlike", "broaden", "different from", "diverse", "outside their comfort", "surprise"],
            [ReasoningFamily.Overall] = ["overall", "general taste", "as a whole", "all-round", "holistic"],
        },
        ["recommender", "recommendation system", "recommendation engine"],
        ["critic", "film expert", "cinephile", "reviewer", "film scholar"],
        ["friend", "buddy", "pal"]);

    /// <summary>Gets the alternative vocabulary of the <see cref="SimulatorRules.OtherVocabulary"/> variant.</summary>
    public static SimulatorVocabulary Alternative { get; } = new(
        new()
        {
            [ReasoningFamily.Genre] = ["genre", "style", "kind of film", "sort of movie", "subject"],
            [ReasoningFamily.Recency] = ["latest", "newest", "recent", "lately", "these days"],
            [ReasoningFamily.Rating] = ["score", "stars", "rated", "grade", "loved"],
            [ReasoningFamily.Collaborative] = ["similar viewers", "like-minded", "audience", "fans", "people who"],
            [ReasoningFamily.Popularity] = ["famous", "blockbuster", "acclaimed", "popular", "box office"],
            [ReasoningFamily.Era] = ["decade", "period", "vintage", "old", "era"],
            [ReasoningFamily.StepByStep] = ["step by step", "carefully", "deliberate", "reason"],
            [ReasoningFamily.Compare] = ["contrast", "weigh", "pairwise", "against each"],
            [ReasoningFamily.Diversity] = ["broaden", "novel", "unfamiliar", "variety", "different"],
            [ReasoningFamily.Overall] = ["overall", "whole", "holistic", "big picture"],
        },
        ["recommend", "system"],
        ["critic", "expert", "connoisseur"],
        ["friend", "close", "companion"]);

    /// <summary>Gets the phrasings of each reasoning family.</summary>
    public ImmutableDictionary<ReasoningFamily, ImmutableArray<string>> Families { get; }

    /// <summary>Returns the families a text mentions, in <see cref="ReasoningFamily"/> order.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The families.</returns>
    public IReadOnlyList<ReasoningFamily> Match(string text)
    {
        var found = new List<ReasoningFamily>();
        foreach (ReasoningFamily family in Enum.GetValues<ReasoningFamily>())
        {
            if (_families[family].IsMatch(text))
            {
                found.Add(family);
            }
        }

        return found;
    }

    /// <summary>Returns the role family of a role text: recommender, critic, friend or none.</summary>
    internal string Role(string text) =>
        _recommender.IsMatch(text) ? "recommender" : _critic.IsMatch(text) ? "critic" : _friend.IsMatch(text) ? "friend" : "none";

    private static Regex Words(string[] phrases) =>
        new(@"\b(?:" + string.Join('|', phrases.Select(Regex.Escape)) + ")", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
