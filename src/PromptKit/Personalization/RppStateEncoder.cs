namespace PromptKit;

/// <summary>Turns an RPP episode's state into the observation vector the four pattern agents and the critic read.</summary>
/// <remarks>
/// <para>Layout (<see cref="Dimension"/> values): the user's features (<see cref="ItemFeatureEncoder.EncodeUser"/>,
/// from the user's history: the user embedding of the first iteration), then the encoding of the previous iteration's
/// prompt text (<see cref="HashedTextEncoder"/> by default), then a position-discounted pooling of the features of the
/// items the model ranked highest in the previous iteration (weights 1/log2(rank + 1) over the top
/// <see cref="RankedItems"/>, normalized), then three scalars: the history count shown so far / the maximum, the
/// iteration / the episode length, and 1 when the previous answer could not be parsed. At the first iteration the prompt
/// and ranking parts are zero.</para>
/// <para>The paper's state uses a GRU over the ranked items; this encoder uses a fixed pooling instead, so that the
/// whole observation can be computed without TorchSharp and the trained actors stay plain MLPs that export to ONNX.</para>
/// <para>Nothing here reads the held-out target or any reward: the observation at test time uses only the user's
/// history, the prompt and the model's own answer. Thread-safe.</para>
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
    /// <param name="rankedItems">How many of the top-ranked items the ranking part pools.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or <paramref name="spaces"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> or <paramref name="rankedItems"/> is not positive.</exception>
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
        Dimension = items.UserDimension + _promptEncoder.Dimension + items.Dimension + 3;
    }

    /// <summary>Gets the observation length.</summary>
    public int Dimension { get; }

    /// <summary>Gets the number of iterations per episode.</summary>
    public int Iterations { get; }

    /// <summary>Gets how many top-ranked items the ranking part pools.</summary>
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
        int offset = 0;
        _items.EncodeUser(episode.Example.History, destination.Slice(offset, _items.UserDimension));
        offset += _items.UserDimension;
        if (episode.LastPromptText is string text)
        {
            _promptEncoder.Encode(text, destination.Slice(offset, _promptEncoder.Dimension));
        }

        offset += _promptEncoder.Dimension;
        Span<float> pooled = destination.Slice(offset, _items.Dimension);
        if (!episode.LastRanking.IsDefaultOrEmpty)
        {
            Span<float> item = stackalloc float[_items.Dimension];
            double total = 0;
            int count = Math.Min(RankedItems, episode.LastRanking.Length);
            for (int r = 0; r < count; r++)
            {
                float weight = (float)(1.0 / Math.Log2(r + 2));
                _items.Encode(episode.Example.Candidates[episode.LastRanking[r]].Id, item);
                for (int j = 0; j < item.Length; j++)
                {
                    pooled[j] += weight * item[j];
                }

                total += weight;
            }

            for (int j = 0; j < pooled.Length; j++)
            {
                pooled[j] = (float)(pooled[j] / total);
            }
        }

        offset += _items.Dimension;
        destination[offset] = (float)episode.HistoryCount / Spaces.MaxHistoryCount;
        destination[offset + 1] = (float)episode.Iteration / Iterations;
        destination[offset + 2] = episode.LastAnswerUnparsed ? 1f : 0f;
    }
}
