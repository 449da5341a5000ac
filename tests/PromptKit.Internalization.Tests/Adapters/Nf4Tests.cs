namespace PromptKit.Internalization.Tests;

public sealed class Nf4Tests
{
    [Fact]
    public void QuantizedWeightsStayWithinHalfALevelGapOfTheOriginal()
    {
        var random = new Random(5);
        float[] weights = [.. Enumerable.Range(0, 64 * 300 + 17).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.05f)];

        Nf4Data data = Nf4.Quantize(weights);
        var restored = new float[weights.Length];
        Nf4.Dequantize(data, restored);

        for (int b = 0; b * Nf4.BlockSize < weights.Length; b++)
        {
            int start = b * Nf4.BlockSize, end = Math.Min(weights.Length, start + Nf4.BlockSize);
            float absmax = 0;
            for (int i = start; i < end; i++)
            {
                absmax = Math.Max(absmax, Math.Abs(weights[i]));
            }

            for (int i = start; i < end; i++)
            {
                // Half the widest NF4 gap is (1 − 0.723) / 2 ≈ 0.139 of the block maximum; the int8 block maxima add a little.
                Math.Abs(restored[i] - weights[i]).Should().BeLessThan(0.16f * absmax);
            }
        }

        data.StoredBytes.Should().BeLessThan(weights.Length * 4L / 7, "NF4 with double-quantized scales takes about 4.13 bits per weight");
    }

    [Fact]
    public void ExactLevelsRoundTripExactlyWithTheirBlockMaximum()
    {
        float[] weights = [.. Enumerable.Range(0, 64).Select(i => Nf4.Levels[i % 16] * 0.5f)];

        Nf4Data data = Nf4.Quantize(weights);
        var restored = new float[64];
        Nf4.Dequantize(data, restored);

        restored.Should().Equal(weights, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void TheTensorDequantizationEqualsTheReference()
    {
        var random = new Random(8);
        float[] weights = [.. Enumerable.Range(0, 48 * 40).Select(_ => (float)random.NextDouble() - 0.5f)];
        Nf4Data data = Nf4.Quantize(weights);
        var expected = new float[weights.Length];
        Nf4.Dequantize(data, expected);

        using var weight = new Nf4Weight(data, 48, 40);
        using TorchSharp.torch.Tensor tensor = weight.Dequantize();

        tensor.shape.Should().Equal(48, 40);
        tensor.data<float>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void AQuantizedModelStaysCloseAndQLoraTrainingLowersTheLoss()
    {
        using CausalLanguageModel full = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        using CausalLanguageModel quantized = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama), quantize: true);
        int[] tokens = [5, 40, 77, 300, 12, 9];

        quantized.IsQuantized.Should().BeTrue();
        quantized.WeightBytes.Should().BeLessThan(full.WeightBytes / 2);
        float[] a = full.GetLogits(tokens), b = quantized.GetLogits(tokens);
        double correlation = Correlation(a, b);
        correlation.Should().BeGreaterThan(0.95, "4-bit weights approximate the model");

        quantized.AddAdapter(new LoraOptions { Rank = 8, Seed = 1 });
        List<LanguageModelingExample> examples = ToyTask.Examples(quantized.Config.VocabularySize);
        double initial = LanguageModelTrainer.EvaluateLoss(quantized, examples);
        new LanguageModelTrainer(ToyTask.FastOptions()).Train(quantized, examples);
        LanguageModelTrainer.EvaluateLoss(quantized, examples).Should().BeLessThan(initial * 0.6);
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
