using System.Collections.Frozen;
using System.Numerics;

namespace PromptKit.Samples.Recommendation;

/// <summary>
/// Cosine item-item similarity and popularity on implicit feedback (who interacted with what, ratings ignored):
/// <c>sim(a, b) = |U(a) ∩ U(b)| / sqrt(|U(a)| · |U(b)|)</c>, U(x) = the users who interacted with x.
/// </summary>
/// <remarks>
/// Fit it on <see cref="RecommendationSplit.TrainingInteractions"/> so that no held-out target counts. Each item's users
/// are a bit set, so one similarity costs a few dozen machine words. Immutable and thread-safe.
/// </remarks>
public sealed class ItemSimilarity
{
    private readonly FrozenDictionary<string, int> _itemRows;
    private readonly ulong[] _bits;
    private readonly int[] _counts;
    private readonly int _words;
    private readonly double _logMaxCount;

    public ItemSimilarity(InteractionDataset trainingInteractions)
    {
        ArgumentNullException.ThrowIfNull(trainingInteractions);
        string[] ids = [.. trainingInteractions.Items.Keys];
        Array.Sort(ids, StringComparer.Ordinal);
        var rows = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < ids.Length; i++)
        {
            rows.Add(ids[i], i);
        }

        UserCount = trainingInteractions.UserCount;
        _words = (UserCount + 63) / 64;
        _bits = new ulong[ids.Length * _words];
        _counts = new int[ids.Length];
        for (int u = 0; u < UserCount; u++)
        {
            foreach (UserInteraction interaction in trainingInteractions.Users[u].Interactions)
            {
                int row = rows[interaction.ItemId];
                ref ulong word = ref _bits[(row * _words) + (u >> 6)];
                ulong bit = 1UL << (u & 63);
                if ((word & bit) == 0)
                {
                    word |= bit;
                    _counts[row]++;
                }
            }
        }

        _itemRows = rows.ToFrozenDictionary(StringComparer.Ordinal);
        _logMaxCount = Math.Log(1 + (_counts.Length == 0 ? 0 : _counts.Max()));
    }

    /// <summary>Gets the number of users of the data set fitted on.</summary>
    public int UserCount { get; }

    /// <summary>Gets the number of users who interacted with the item (0 for an unknown item).</summary>
    public int Popularity(string itemId) => _itemRows.TryGetValue(itemId, out int row) ? _counts[row] : 0;

    /// <summary>Gets <c>log(1 + popularity) / log(1 + highest popularity)</c>, in [0, 1].</summary>
    public double LogPopularity(string itemId) => _logMaxCount > 0 ? Math.Log(1 + Popularity(itemId)) / _logMaxCount : 0;

    /// <summary>Gets the cosine similarity of two items, in [0, 1]; 0 when either is unknown or has no interactions.</summary>
    public double Cosine(string a, string b)
    {
        if (!_itemRows.TryGetValue(a, out int ra) || !_itemRows.TryGetValue(b, out int rb) || _counts[ra] == 0 || _counts[rb] == 0)
        {
            return 0;
        }

        ReadOnlySpan<ulong> x = _bits.AsSpan(ra * _words, _words);
        ReadOnlySpan<ulong> y = _bits.AsSpan(rb * _words, _words);
        int common = 0;
        for (int i = 0; i < x.Length; i++)
        {
            common += BitOperations.PopCount(x[i] & y[i]);
        }

        return common / Math.Sqrt((double)_counts[ra] * _counts[rb]);
    }
}
