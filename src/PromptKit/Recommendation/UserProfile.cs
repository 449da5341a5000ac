using System.Collections.Immutable;

namespace PromptKit;

/// <summary>A user and the user's interactions, in chronological order.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class UserProfile
{
    /// <summary>Initializes a new instance of the <see cref="UserProfile"/> class.</summary>
    /// <param name="userId">The user's unique id.</param>
    /// <param name="interactions">The interactions, in any order; they are sorted by timestamp, then by item id (ordinal), so ties are broken the same way on every run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="userId"/> or <paramref name="interactions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is empty or white space, or an interaction is <see langword="null"/>.</exception>
    public UserProfile(string userId, IEnumerable<UserInteraction> interactions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(interactions);
        UserInteraction[] list = [.. interactions];
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The interaction at index {i} is null.", nameof(interactions));
            }
        }

        Array.Sort(list, Chronological);
        UserId = userId;
        Interactions = ImmutableArray.Create(list);
    }

    /// <summary>Gets the user's id.</summary>
    public string UserId { get; }

    /// <summary>Gets the interactions, sorted by timestamp, then by item id (ordinal).</summary>
    public ImmutableArray<UserInteraction> Interactions { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{UserId} ({Interactions.Length} interactions)";

    private static int Chronological(UserInteraction a, UserInteraction b)
    {
        int byTime = a.Timestamp.CompareTo(b.Timestamp);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.ItemId, b.ItemId);
    }
}
