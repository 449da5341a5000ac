using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>The keys and values of every layer for the tokens seen so far, so that each new token costs one position.</summary>
internal sealed class DecoderCache : IDisposable
{
    public DecoderCache(int layers)
    {
        Layers = new LayerCache[layers];
        for (int i = 0; i < layers; i++)
        {
            Layers[i] = new LayerCache(this);
        }
    }

    public LayerCache[] Layers { get; }

    /// <summary>Gets the number of positions cached.</summary>
    public long Length { get; private set; }

    public void Advance(long tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (LayerCache layer in Layers)
        {
            layer.Dispose();
        }
    }
}

/// <summary>One layer's cached keys and values [batch, kvHeads, positions, d].</summary>
internal sealed class LayerCache : IDisposable
{
    private readonly DecoderCache _owner;
    private Tensor? _keys;
    private Tensor? _values;

    public LayerCache(DecoderCache owner) => _owner = owner;

    public long Length => _owner.Length;

    /// <summary>Appends new keys and values and returns the whole cached sequence (owned by the cache).</summary>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        Tensor newKeys = _keys is null ? keys.detach().clone() : cat([_keys, keys.detach()], 2);
        Tensor newValues = _values is null ? values.detach().clone() : cat([_values, values.detach()], 2);
        newKeys.DetachFromDisposeScope();
        newValues.DetachFromDisposeScope();
        _keys?.Dispose();
        _values?.Dispose();
        _keys = newKeys;
        _values = newValues;
        return (newKeys.alias(), newValues.alias());
    }

    public void Dispose()
    {
        _keys?.Dispose();
        _values?.Dispose();
    }
}
