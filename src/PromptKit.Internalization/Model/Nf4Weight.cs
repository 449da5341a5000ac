using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>An NF4-quantized weight held as tensors, dequantized with tensor operations on every use.</summary>
internal sealed class Nf4Weight : IDisposable
{
    private readonly Tensor _pairs;
    private readonly Tensor _maxima;
    private readonly Tensor _scales;
    private readonly float _offset;
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _length;

    public Nf4Weight(Nf4Data data, int rows, int columns)
    {
        _rows = rows;
        _columns = columns;
        _length = data.Length;
        // Stored as the quantization made them (packed uint8 codes, int8 maxima, one float scale per group), so the
        // memory held is what StoredBytes says; kept by the model, out of any dispose scope of the caller's.
        Codes = tensor(data.Codes, dtype: ScalarType.Byte).DetachFromDisposeScope();
        _maxima = tensor(data.QuantizedMaxima).DetachFromDisposeScope();
        _scales = tensor(data.Scales).DetachFromDisposeScope();
        _offset = data.Offset;
        _pairs = PairTable().DetachFromDisposeScope();
        StoredBytes = data.StoredBytes;
    }

    /// <summary>Gets the packed 4-bit codes (two per byte).</summary>
    public Tensor Codes { get; }

    /// <summary>Gets the bytes of the quantized representation (codes, int8 maxima, scales, offset).</summary>
    public long StoredBytes { get; }

    /// <summary>Dequantizes to a float tensor of shape [rows, columns].</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        // One lookup per byte gives both of its weights: a 256 × 2 table of (high nibble, low nibble) levels.
        Tensor scales = _scales.repeat_interleave(Nf4.ScaleBlockSize)[..(int)_maxima.shape[0]];
        Tensor maxima = _maxima.to(ScalarType.Float32).mul_(scales).add_(_offset);
        Tensor values = _pairs.index_select(0, Codes.to(ScalarType.Int64)).view(-1, Nf4.BlockSize).mul_(maxima.unsqueeze(1)).flatten();
        if (values.shape[0] != _length)
        {
            values = values[..(int)_length];
        }

        return values.view(_rows, _columns).MoveToOuterDisposeScope();
    }

    private static Tensor PairTable()
    {
        ReadOnlySpan<float> levels = Nf4.Levels;
        var table = new float[512];
        for (int b = 0; b < 256; b++)
        {
            table[2 * b] = levels[b >> 4];
            table[(2 * b) + 1] = levels[b & 0xF];
        }

        return tensor(table, [256, 2]);
    }

    public void Dispose()
    {
        Codes.Dispose();
        _maxima.Dispose();
        _scales.Dispose();
        _pairs.Dispose();
    }
}
