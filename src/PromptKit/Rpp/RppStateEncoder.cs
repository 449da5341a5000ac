namespace PromptKit;

/// <summary>Turns an RPP episode's state into the observation vector the four pattern agents and the critic read.</summary>
/// <remarks>
/// <para>The observation is packed for a GRU over the ranked items (the layout of PromptKit.Training's
/// <c>GruPolicyNetwork</c>, which <c>RppTrainer.CreateModel</c> builds). First the <see cref="StaticDimension"/> static
/// values: the user's features (<see cref="ItemFeatureEncoder.EncodeUser"/>, from the user's history: the user embedding
/// of the first iteration), the encoding of the previous iteration's prompt text (<see cref="HashedTextEncoder"/> by
/// default), and three scalars: the history count shown so far / the maximum, the iteration / the episode length, and 1
/// when the previous answer could not be parsed. Then the number of ranked items that follow (0 to
/// <see cref="RankedItems"/>). Then <see cref="RankedItems"/> slots of <see cref="ItemDimension"/> values: the features
/// (<see cref="ItemFeatureEncoder.Encode"/>) of the items the model ranked highest in the previous iteration, best
/// first; unused slots are zero. At the first iteration the prompt part, the count and the items are zero.</para>
/// <para>Nothing here reads the held-out target or any reward: the observation at test time uses only the user's
/// history, the prompt and the model's own answer. The user's features are computed once per episode and kept with it.
/// Thread-safe across episodes (an episode itself belongs to one caller).</para>
/// </remarks>
public sealed class RppStateEncoder
{
    private readonly ItemFeatureEncoder _items;
    private readonly IStateEncoder<string> _promptEncoder;

    /// <summary>Initializes a new instance of the <see cref="RppStateEncoder"/> class.</summary>
    /// <param name="items">The item and user feature encoder (fitted on training interactions).</param>
    /// <param name="spaces">The action spaces (for the maximum history count).</param>
    /// <param name="iterations">The number of iterations per episode.</param>
    /// <param name="promptEncoder">Encodes prompt text; <see langword="null"/> gives a 64-bucket <see cref="HashedTextEncoder"/>.</param>
    /// <param name="rankedItems">How many of the top-ranked items the observation carries (the GRU's sequence length).</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="spaces"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> or <paramref name="rankedItems"/> is not positive, or the observation would be too long.</exception>
    public RppStateEncoder(ItemFeatureEncoder items, RppActionSpaces spaces, int iterations, IStateEncoder<string>? promptEncoder = null, int rankedItems = 5)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(spaces);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rankedItems);
        _items = items;
        _promptEncoder = promptEncoder ?? new HashedTextEncoder();
        Spaces = spaces;
        Iterations = iterations;
        RankedItems = rankedItems;
        StaticDimension = items.UserDimension + _promptEncoder.Dimension + 3;
        long dimension = StaticDimension + 1 + ((long)rankedItems * items.Dimension);
        if (dimension > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rankedItems), rankedItems, $"{rankedItems} ranked items of {items.Dimension} features make an observation longer than an array can hold.");
        }

        Dimension = (int)dimension;
    }

    /// <summary>Gets the observation length: <see cref="StaticDimension"/> + 1 + <see cref="RankedItems"/> × <see cref="ItemDimension"/>.</summary>
    public int Dimension { get; }

    /// <summary>Gets the number of static values (user, prompt and scalars) before the ranked items.</summary>
    public int StaticDimension { get; }

    /// <summary>Gets the length of each ranked item's feature vector.</summary>
    public int ItemDimension => _items.Dimension;

    /// <summary>Gets the number of iterations per episode.</summary>
    public int Iterations { get; }

    /// <summary>Gets how many top-ranked items the observation carries.</summary>
    public int RankedItems { get; }

    /// <summary>Gets the action spaces.</summary>
    public RppActionSpaces Spaces { get; }

    /// <summary>Writes the observation of an episode's current state.</summary>
    /// <param name="episode">The episode.</param>
    /// <param name="destination">Exactly <see cref="Dimension"/> values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="episode"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void Encode(RppEpisode episode, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(episode);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"The destination has length {destination.Length}; expected {Dimension}.", nameof(destination));
        }

        destination.Clear();
        episode.UserFeatures(_items).CopyTo(destination);
        int offset = _items.UserDimension;
        if (episode.LastPromptText is string text)
        {
            _promptEncoder.Encode(text, destination.Slice(offset, _promptEncoder.Dimension));
        }

        offset += _promptEncoder.Dimension;
        destination[offset] = (float)episode.HistoryCount / Spaces.MaxHistoryCount;
        destination[offset + 1] = (float)episode.Iteration / Iterations;
        destination[offset + 2] = episode.LastAnswerUnparsed ? 1f : 0f;
        offset += 3;
        int count = episode.LastRanking.IsDefaultOrEmpty ? 0 : Math.Min(RankedItems, episode.LastRanking.Length);
        destination[offset++] = count;
        for (int r = 0; r < count; r++)
        {
            _items.Encode(episode.Example.Candidates[episode.LastRanking[r]].Id, destination.Slice(offset + (r * _items.Dimension), _items.Dimension));
        }
    }
}
