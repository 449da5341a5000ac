using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime.Tests.Export;

/// <summary>Plain C# forward passes (in double precision) of the exported networks, random weights, and a small ORT runner.</summary>
internal static class ReferenceNetworks
{
    public static float[] RandomValues(Random random, int count, double scale = 1.0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }

        return values;
    }

    public static MlpPolicyWeights RandomMlp(Random random, int inputSize, int[] sizes, DenseActivation hidden, DenseActivation last = DenseActivation.None)
    {
        var builder = new MlpPolicyWeightsBuilder(inputSize);
        for (int i = 0; i < sizes.Length; i++)
        {
            int inSize = builder.CurrentSize;
            builder.AddLayer(sizes[i], RandomValues(random, sizes[i] * inSize, 1 / Math.Sqrt(inSize)), RandomValues(random, sizes[i], 0.5), i == sizes.Length - 1 ? last : hidden);
        }

        return builder.Build();
    }

    public static GruPolicyWeights RandomGru(Random random, int inputSize, int hiddenSize, int actions, bool linearBeforeReset)
    {
        double scale = 1 / Math.Sqrt(hiddenSize);
        MlpPolicyWeights head = RandomMlp(random, hiddenSize, [actions], DenseActivation.None);
        return new GruPolicyWeights(
            inputSize,
            hiddenSize,
            RandomValues(random, 3 * hiddenSize * inputSize, scale),
            RandomValues(random, 3 * hiddenSize * hiddenSize, scale),
            RandomValues(random, 3 * hiddenSize, scale),
            RandomValues(random, 3 * hiddenSize, scale),
            linearBeforeReset,
            head);
    }

    /// <summary>y = act(W·x + b) layer by layer, W row-major [out, in].</summary>
    public static double[] Mlp(MlpPolicyWeights weights, ReadOnlySpan<float> input)
    {
        double[] x = new double[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            x[i] = input[i];
        }

        return Mlp(weights, x);
    }

    public static double[] Mlp(MlpPolicyWeights weights, double[] x)
    {
        foreach (DenseLayerWeights layer in weights.Layers)
        {
            var y = new double[layer.OutputSize];
            for (int o = 0; o < layer.OutputSize; o++)
            {
                double sum = layer.Bias[o];
                for (int i = 0; i < layer.InputSize; i++)
                {
                    sum += layer.Weights[(o * layer.InputSize) + i] * x[i];
                }

                y[o] = layer.Activation switch
                {
                    DenseActivation.Relu => Math.Max(0, sum),
                    DenseActivation.Tanh => Math.Tanh(sum),
                    _ => sum,
                };
            }

            x = y;
        }

        return x;
    }

    /// <summary>The GRU recurrence of the ONNX specification (gates z, r, h), then the head, for one sequence of <paramref name="length"/> steps.</summary>
    public static double[] Gru(GruPolicyWeights w, ReadOnlySpan<float> sequence, int length)
    {
        int hSize = w.HiddenSize;
        int inSize = w.InputSize;
        var h = new double[hSize];
        for (int t = 0; t < length; t++)
        {
            ReadOnlySpan<float> x = sequence.Slice(t * inSize, inSize);
            var z = new double[hSize];
            var r = new double[hSize];
            var gated = new double[hSize];
            for (int j = 0; j < hSize; j++)
            {
                z[j] = Sigmoid(Affine(w, 0, j, x) + Recurrent(w, 0, j, h));
                r[j] = Sigmoid(Affine(w, 1, j, x) + Recurrent(w, 1, j, h));
                gated[j] = r[j] * h[j];
            }

            var next = new double[hSize];
            for (int j = 0; j < hSize; j++)
            {
                double candidate = w.LinearBeforeReset
                    ? Math.Tanh(Affine(w, 2, j, x) + (r[j] * Recurrent(w, 2, j, h)))   // r ⊙ (R_h·h + Rb_h)
                    : Math.Tanh(Affine(w, 2, j, x) + Recurrent(w, 2, j, gated));     // R_h·(r ⊙ h) + Rb_h
                next[j] = ((1 - z[j]) * candidate) + (z[j] * h[j]);
            }

            h = next;
        }

        return Mlp(w.Head, h);
    }

    public static PointerPolicyWeights RandomPointer(Random random, int d, int p, int f, int e, int h)
    {
        DenseLayerWeights Dense(int inputs, int outputs, double biasScale) =>
            new(inputs, outputs, RandomValues(random, inputs * outputs, 1 / Math.Sqrt(inputs)), RandomValues(random, outputs, biasScale));

        return new PointerPolicyWeights(d, p, f, e, Dense((2 * d) + f, h, 0.5), Dense(d + p, h, 0.5), Dense(h, 1, 0.5), RandomMlp(random, d + p + h, [h, 1], DenseActivation.Tanh));
    }

    /// <summary>The pointer policy's formulas, element by element, for one observation: E scores, then the stop logit.</summary>
    public static double[] Pointer(PointerPolicyWeights w, ReadOnlySpan<float> observation)
    {
        int d = w.ContextSize, q = d + w.ProgressSize, block = d + w.ElementFeatureSize, h = w.HiddenSize, e = w.MaxElements;
        ReadOnlySpan<float> query = observation[..q];
        var logits = new double[e + 1];
        var pooled = new double[h];
        double count = 0;
        for (int i = 0; i < e; i++)
        {
            ReadOnlySpan<float> element = observation.Slice(q + (i * block), block);
            var key = new double[block + d];
            for (int j = 0; j < block; j++)
            {
                key[j] = element[j];
            }

            for (int j = 0; j < d; j++)
            {
                key[block + j] = (double)element[j] * observation[j];
            }

            double score = w.Score.Bias[0];
            double validity = element[d];
            for (int o = 0; o < h; o++)
            {
                double sum = w.ElementProjection.Bias[o] + w.QueryProjection.Bias[o];
                for (int j = 0; j < key.Length; j++)
                {
                    sum += w.ElementProjection.Weights[(o * key.Length) + j] * key[j];
                }

                for (int j = 0; j < q; j++)
                {
                    sum += w.QueryProjection.Weights[(o * q) + j] * query[j];
                }

                double attention = Math.Tanh(sum);
                score += w.Score.Weights[o] * attention;
                pooled[o] += validity * attention;
            }

            logits[i] = score;
            count += validity;
        }

        var stopInput = new double[q + h];
        for (int j = 0; j < q; j++)
        {
            stopInput[j] = query[j];
        }

        for (int o = 0; o < h; o++)
        {
            stopInput[q + o] = pooled[o] / Math.Max(count, 1);
        }

        logits[e] = Mlp(w.StopHead, stopInput)[0];
        return logits;
    }

    public static float[] RunOrt(byte[] model, string outputName, params (string Name, float[] Data, long[] Shape)[] inputs) =>
        RunOrt(model, outputName, inputs, lengths: null);

    public static float[] RunOrt(byte[] model, string outputName, (string Name, float[] Data, long[] Shape)[] inputs, (string Name, int[] Data)? lengths)
    {
        using OnnxSession session = OnnxSessionFactory.Create(model, new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu });
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach ((string name, float[] data, long[] shape) in inputs)
            {
                names.Add(name);
                values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
            }

            if (lengths is { } l)
            {
                names.Add(l.Name);
                values.Add(OrtValue.CreateTensorValueFromMemory(l.Data, [l.Data.Length]));
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Session.Run(runOptions, names, values, [outputName]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    private static double Affine(GruPolicyWeights w, int gate, int unit, ReadOnlySpan<float> x)
    {
        int row = (gate * w.HiddenSize) + unit;
        double sum = w.InputBias[row];
        for (int i = 0; i < w.InputSize; i++)
        {
            sum += w.InputWeights[(row * w.InputSize) + i] * x[i];
        }

        return sum;
    }

    private static double Recurrent(GruPolicyWeights w, int gate, int unit, double[] h)
    {
        int row = (gate * w.HiddenSize) + unit;
        double sum = w.RecurrentBias[row];
        for (int k = 0; k < w.HiddenSize; k++)
        {
            sum += w.RecurrentWeights[(row * w.HiddenSize) + k] * h[k];
        }

        return sum;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
