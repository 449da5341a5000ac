using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>Rotary position embeddings in Hugging Face's rotate-half layout, with linear and Llama 3.1 frequency scaling.</summary>
internal static class Rotary
{
    /// <summary>Computes the inverse frequencies <c>θ^(−2i/d)</c> (in double precision, then rounded to float), rescaled as the config says.</summary>
    public static float[] InverseFrequencies(LlamaConfig config)
    {
        int half = config.HeadSize / 2;
        var result = new float[half];
        RopeScaling? scaling = config.RopeScaling;
        for (int i = 0; i < half; i++)
        {
            double inverse = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadSize);
            if (scaling is { Type: RopeScaling.Linear })
            {
                inverse /= scaling.Factor;
            }
            else if (scaling is { Type: RopeScaling.Llama3 })
            {
                double old = scaling.OriginalMaxPositionEmbeddings;
                double lowWavelength = old / scaling.LowFrequencyFactor;
                double highWavelength = old / scaling.HighFrequencyFactor;
                double wavelength = 2 * Math.PI / inverse;
                if (wavelength > lowWavelength)
                {
                    inverse /= scaling.Factor;
                }
                else if (wavelength >= highWavelength)
                {
                    double smooth = ((old / wavelength) - scaling.LowFrequencyFactor) / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
                    inverse = ((1 - smooth) * inverse / scaling.Factor) + (smooth * inverse);
                }
            }

            result[i] = (float)inverse;
        }

        return result;
    }

    /// <summary>Returns cos and sin [tokens, headSize] for positions <c>start..start+tokens</c>.</summary>
    public static (Tensor Cos, Tensor Sin) CosSin(Tensor inverseFrequencies, long start, long tokens)
    {
        using var scope = NewDisposeScope();
        Tensor positions = arange(start, start + tokens, dtype: ScalarType.Float32);
        Tensor angles = outer(positions, inverseFrequencies);
        Tensor doubled = cat([angles, angles], -1);
        Tensor cos = doubled.cos().MoveToOuterDisposeScope();
        Tensor sin = doubled.sin().MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates <paramref name="x"/> [batch, heads, tokens, d]: <c>x·cos + rotate_half(x)·sin</c>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        Tensor first = x.narrow(-1, 0, half);
        Tensor second = x.narrow(-1, half, half);
        Tensor rotated = cat([second.neg(), first], -1);
        return x.mul(cos).add(rotated.mul(sin)).MoveToOuterDisposeScope();
    }
}
