using System.Globalization;

namespace PromptKit;

/// <summary>One interaction of a user with an item: the item, the rating given and when.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class UserInteraction
{
    /// <summary>Initializes a new instance of the <see cref="UserInteraction"/> class.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="rating">The rating the user gave (for MovieLens, 0.5 to 5 stars); must be finite.</param>
    /// <param name="timestamp">When the interaction happened.</param>
    /// <exception cref="ArgumentNullException"><paramref name="itemId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="itemId"/> is empty or white space, or <paramref name="rating"/> is NaN or infinite.</exception>
    public UserInteraction(string itemId, double rating, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemId);
        if (!double.IsFinite(rating))
        {
            throw new ArgumentException($"Rating {rating} is not a finite number.", nameof(rating));
        }

        ItemId = itemId;
        Rating = rating;
        Timestamp = timestamp;
    }

    /// <summary>Gets the item's id.</summary>
    public string ItemId { get; }

    /// <summary>Gets the rating the user gave.</summary>
    public double Rating { get; }

    /// <summary>Gets when the interaction happened.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ItemId} rated {Rating} at {Timestamp:O}");
}
