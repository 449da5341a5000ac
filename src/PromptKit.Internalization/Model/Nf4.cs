namespace PromptKit.Internalization;

/// <summary>4-bit NormalFloat (NF4) quantization with double-quantized block scales, as QLoRA stores a frozen base model
/// (Dettmers et al., 2023): each block of <see cref="BlockSize"/> weights keeps the index of the nearest of 16 levels
/// (the quantiles of a standard normal, scaled to [-1, 1]) and the block's absolute maximum; the absolute maxima are
/// themselves stored as int8 in groups of <see cref="ScaleBlockSize"/> with one float scale per group and one float
/// offset (their mean).</summary>
/// <remarks>The second level is a symmetric linear int8 code; bitsandbytes uses an 8-bit dynamic (float-like) code
/// there. The first level, the NF4 levels and the block sizes are QLoRA's. Cost: 4 + 8/64 + 32/(64·256) ≈ 4.127 bits per weight.</remarks>
internal static class Nf4
{
    public const int BlockSize = 64;
    public const int ScaleBlockSize = 256;

    /// <summary>QLoRA's NF4 levels (bitsandbytes' table), ascending.</summary>
    public static ReadOnlySpan<float> Levels =>
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
        -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
        0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    /// <summary>Quantizes <paramref name="weights"/>: two 4-bit codes per byte (the first in the high nibble), int8 block
    /// maxima, one scale per group of maxima and their mean.</summary>
    public static Nf4Data Quantize(ReadOnlySpan<float> weights)
    {
        int blocks = (weights.Length + BlockSize - 1) / BlockSize;
        int padded = blocks * BlockSize;
        var codes = new byte[padded / 2];
        var absmax = new float[blocks];
        Span<float> midpoints = stackalloc float[15];
        ReadOnlySpan<float> levels = Levels;
        for (int i = 0; i < 15; i++)
        {
            midpoints[i] = (levels[i] + levels[i + 1]) / 2;
        }

        for (int b = 0; b < blocks; b++)
        {
            int start = b * BlockSize;
            ReadOnlySpan<float> block = weights.Slice(start, Math.Min(BlockSize, weights.Length - start));
            float max = 0;
            foreach (float w in block)
            {
                max = MathF.Max(max, MathF.Abs(w));
            }

            absmax[b] = max;
            float inverse = max > 0 ? 1f / max : 0f;
            for (int j = 0; j < BlockSize; j++)
            {
                float normalized = j < block.Length ? block[j] * inverse : 0f;
                int code = 0;
                while (code < 15 && normalized > midpoints[code])
                {
                    code++;
                }

                int index = start + j;
                codes[index >> 1] |= (byte)((index & 1) == 0 ? code << 4 : code);
            }
        }

        // Second level: the maxima minus their mean, as int8 with one scale per ScaleBlockSize maxima.
        double sum = 0;
        foreach (float m in absmax)
        {
            sum += m;
        }

        float offset = (float)(sum / blocks);
        int groups = (blocks + ScaleBlockSize - 1) / ScaleBlockSize;
        var scales = new float[groups];
        var quantizedMax = new sbyte[blocks];
        for (int g = 0; g < groups; g++)
        {
            int start = g * ScaleBlockSize;
            int end = Math.Min(blocks, start + ScaleBlockSize);
            float groupMax = 0;
            for (int b = start; b < end; b++)
            {
                groupMax = MathF.Max(groupMax, MathF.Abs(absmax[b] - offset));
            }

            float scale = groupMax > 0 ? groupMax / 127f : 1f;
            scales[g] = scale;
            for (int b = start; b < end; b++)
            {
                quantizedMax[b] = (sbyte)Math.Clamp(MathF.Round((absmax[b] - offset) / scale), -127, 127);
            }
        }

        return new Nf4Data(weights.Length, codes, quantizedMax, scales, offset);
    }

    /// <summary>Reconstructs the weights (reference implementation; the model dequantizes with tensor operations).</summary>
    public static void Dequantize(Nf4Data data, Span<float> destination)
    {
        ReadOnlySpan<float> levels = Levels;
        for (int i = 0; i < data.Length; i++)
        {
            int b = i / BlockSize;
            float max = (data.QuantizedMaxima[b] * data.Scales[b / ScaleBlockSize]) + data.Offset;
            int code = (i & 1) == 0 ? data.Codes[i >> 1] >> 4 : data.Codes[i >> 1] & 0xF;
            destination[i] = levels[code] * max;
        }
    }
}

/// <summary>NF4-quantized weights: packed codes, int8 block maxima, their group scales and offset.</summary>
internal sealed record Nf4Data(int Length, byte[] Codes, sbyte[] QuantizedMaxima, float[] Scales, float Offset)
{
    /// <summary>Gets the bytes this representation stores.</summary>
    public long StoredBytes => Codes.Length + QuantizedMaxima.Length + (Scales.Length * sizeof(float)) + sizeof(float);
}
