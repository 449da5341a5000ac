using System.Globalization;

namespace PromptKit;

/// <summary>One action of the history-records agent: how many more history items to show, whether with ratings, and which ones.</summary>
/// <remarks>
/// <para>Each step the number of history items shown becomes
/// <c>min(RppActionSpaces.MaxHistoryCount, previous + ItemsToAdd)</c>, starting from
/// <see cref="RppActionSpaces.InitialHistoryCount"/> (see <see cref="RppPromptComposer.NextHistoryCount"/>).
/// <see cref="Description"/> is the sentence the prompt shows above the history list.</para>
/// <para>Two actions are equal when <see cref="ItemsToAdd"/>, <see cref="IncludeRatings"/> and <see cref="Order"/> are
/// equal; the description does not count. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class HistoryRecordsAction : IEquatable<HistoryRecordsAction>
{
    /// <summary>The largest allowed <see cref="ItemsToAdd"/>.</summary>
    public const int MaxItemsToAdd = 100;

    /// <summary>Initializes a new instance of the <see cref="HistoryRecordsAction"/> class.</summary>
    /// <param name="itemsToAdd">How many more history items to show each step (the default action set uses 0, 1 and 2).</param>
    /// <param name="includeRatings">Whether each history item shows the user's rating.</param>
    /// <param name="order">Which items are shown, and in which order.</param>
    /// <param name="description">The sentence shown above the history list, or <see langword="null"/> for one derived from <paramref name="includeRatings"/> and <paramref name="order"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="itemsToAdd"/> is negative or greater than <see cref="MaxItemsToAdd"/>, or <paramref name="order"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="description"/> is empty, white space or has a line break.</exception>
    public HistoryRecordsAction(int itemsToAdd, bool includeRatings, HistoryOrder order = HistoryOrder.MostRecent, string? description = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(itemsToAdd);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(itemsToAdd, MaxItemsToAdd);
        if (!Enum.IsDefined(order))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Order {(int)order} is not a defined {nameof(HistoryOrder)} value.");
        }

        if (description is not null)
        {
            RppText.ThrowIfNotSentence(description, nameof(description), allowEmpty: false);
        }

        ItemsToAdd = itemsToAdd;
        IncludeRatings = includeRatings;
        Order = order;
        Description = description ?? DefaultDescription(includeRatings, order);
    }

    /// <summary>Gets how many more history items to show each step.</summary>
    public int ItemsToAdd { get; }

    /// <summary>Gets a value indicating whether each history item shows the user's rating.</summary>
    public bool IncludeRatings { get; }

    /// <summary>Gets which items are shown, and in which order.</summary>
    public HistoryOrder Order { get; }

    /// <summary>Gets the sentence shown above the history list.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public bool Equals(HistoryRecordsAction? other) =>
        other is not null && other.ItemsToAdd == ItemsToAdd && other.IncludeRatings == IncludeRatings && other.Order == Order;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HistoryRecordsAction);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ItemsToAdd, IncludeRatings, Order);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"+{ItemsToAdd} {Order}{(IncludeRatings ? " with ratings" : string.Empty)}: {Description}");

    private static string DefaultDescription(bool includeRatings, HistoryOrder order) => (order, includeRatings) switch
    {
        (HistoryOrder.MostRecent, true) => "These are the movies the user watched most recently, oldest first, with the rating the user gave each (0.5 to 5 stars).",
        (HistoryOrder.MostRecent, false) => "These are the movies the user watched most recently, oldest first.",
        (_, true) => "These are the user's highest-rated movies, best first, with the rating the user gave each (0.5 to 5 stars).",
        _ => "These are the user's highest-rated movies, best first.",
    };
}
