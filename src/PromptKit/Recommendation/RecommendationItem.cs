using System.Collections.Immutable;
using System.Globalization;

namespace PromptKit;

/// <summary>An item that can be recommended, such as a movie: id, title, genres and release year.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class RecommendationItem
{
    /// <summary>Initializes a new instance of the <see cref="RecommendationItem"/> class.</summary>
    /// <param name="id">The item's unique id, as shown to a model (for example <c>"m31"</c>).</param>
    /// <param name="title">The title, without the release year.</param>
    /// <param name="genres">The genres, or <see langword="null"/> for none.</param>
    /// <param name="year">The release year, or <see langword="null"/> when unknown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="title"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or white space, or a genre is <see langword="null"/>, empty or white space.</exception>
    public RecommendationItem(string id, string title, IEnumerable<string>? genres = null, int? year = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(title);
        ImmutableArray<string> list = genres is null ? [] : [.. genres];
        for (int i = 0; i < list.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(list[i]))
            {
                throw new ArgumentException($"The genre at index {i} is null, empty or white space.", nameof(genres));
            }
        }

        Id = id;
        Title = title;
        Genres = list;
        Year = year;
        DisplayTitle = year is int y ? string.Create(CultureInfo.InvariantCulture, $"{title} ({y})") : title;
    }

    /// <summary>Gets the item's unique id.</summary>
    public string Id { get; }

    /// <summary>Gets the title, without the release year.</summary>
    public string Title { get; }

    /// <summary>Gets the genres; empty when none are known.</summary>
    public ImmutableArray<string> Genres { get; }

    /// <summary>Gets the release year, or <see langword="null"/> when unknown.</summary>
    public int? Year { get; }

    /// <summary>Gets the title as shown to a model: <c>"Title (Year)"</c>, or the title alone when the year is unknown.</summary>
    public string DisplayTitle { get; }

    /// <inheritdoc/>
    public override string ToString() => $"[{Id}] {DisplayTitle}";
}
