using System.Collections.Frozen;
using System.Collections.Immutable;

namespace PromptKit;

/// <summary>A recommendation data set: the item catalogue and every user's interactions with it.</summary>
/// <remarks>Instances are immutable and thread-safe. Build one from any source (the samples load MovieLens into it).</remarks>
public sealed class InteractionDataset
{
    /// <summary>Initializes a new instance of the <see cref="InteractionDataset"/> class.</summary>
    /// <param name="items">The catalogue; ids must be unique.</param>
    /// <param name="users">The users, in the order to keep; ids must be unique and every interaction must name an item of the catalogue.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="users"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item or user is <see langword="null"/>, two items or two users share an id, or an interaction names an item that is not in the catalogue.</exception>
    public InteractionDataset(IEnumerable<RecommendationItem> items, IEnumerable<UserProfile> users)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(users);
        var catalogue = new Dictionary<string, RecommendationItem>(StringComparer.Ordinal);
        var genres = new SortedSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (RecommendationItem item in items)
        {
            if (item is null)
            {
                throw new ArgumentException($"The item at index {index} is null.", nameof(items));
            }

            if (!catalogue.TryAdd(item.Id, item))
            {
                throw new ArgumentException($"Item id '{item.Id}' (index {index}) appears more than once; item ids must be unique.", nameof(items));
            }

            genres.UnionWith(item.Genres);
            index++;
        }

        ImmutableArray<UserProfile> profiles = [.. users];
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        int interactions = 0;
        for (int u = 0; u < profiles.Length; u++)
        {
            UserProfile profile = profiles[u] ?? throw new ArgumentException($"The user at index {u} is null.", nameof(users));
            if (!userIds.Add(profile.UserId))
            {
                throw new ArgumentException($"User id '{profile.UserId}' (index {u}) appears more than once; user ids must be unique.", nameof(users));
            }

            foreach (UserInteraction interaction in profile.Interactions)
            {
                if (!catalogue.ContainsKey(interaction.ItemId))
                {
                    throw new ArgumentException(
                        $"User '{profile.UserId}' has an interaction with item '{interaction.ItemId}', which is not in the catalogue. Add the item to {nameof(items)} or remove the interaction.",
                        nameof(users));
                }
            }

            interactions += profile.Interactions.Length;
        }

        Items = catalogue.ToFrozenDictionary(StringComparer.Ordinal);
        string[] ids = [.. Items.Keys];
        Array.Sort(ids, StringComparer.Ordinal);
        ItemIds = ImmutableArray.Create(ids);
        Users = profiles;
        Genres = [.. genres];
        InteractionCount = interactions;
    }

    /// <summary>Gets the catalogue, by item id.</summary>
    public IReadOnlyDictionary<string, RecommendationItem> Items { get; }

    /// <summary>Gets the users.</summary>
    public ImmutableArray<UserProfile> Users { get; }

    /// <summary>Gets every genre of the catalogue, sorted (ordinal).</summary>
    public ImmutableArray<string> Genres { get; }

    /// <summary>Gets the catalogue's item ids in ordinal order: the one order every seeded draw over the catalogue
    /// uses, so that draws do not depend on dictionary order.</summary>
    public ImmutableArray<string> ItemIds { get; }

    /// <summary>Gets the number of items in the catalogue.</summary>
    public int ItemCount => Items.Count;

    /// <summary>Gets the number of users.</summary>
    public int UserCount => Users.Length;

    /// <summary>Gets the number of interactions of all users together.</summary>
    public int InteractionCount { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{UserCount} users, {ItemCount} items, {InteractionCount} interactions";
}
