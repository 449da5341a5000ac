using Microsoft.ML.OnnxRuntime;
using static PromptKit.OnnxRuntime.Tests.Export.ReferenceNetworks;

namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class OnnxPolicyExporterTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int[], DenseActivation> MlpShapes => new()
    {
        { [3], DenseActivation.None },
        { [8, 3], DenseActivation.Relu },
        { [8, 3], DenseActivation.Tanh },
        { [16, 8, 5], DenseActivation.Relu },
        { [16, 8, 5], DenseActivation.Tanh },
    };

    [Theory]
    [MemberData(nameof(MlpShapes))]
    public void Export_Mlp_OrtLogitsAndProbabilitiesMatchReference(int[] sizes, DenseActivation activation)
    {
        var random = new Random(11 + sizes.Length);
        const int inputSize = 6;
        const int batch = 5;
        MlpPolicyWeights weights = RandomMlp(random, inputSize, sizes, activation);
        float[] observations = RandomValues(random, batch * inputSize, 2.0);
        byte[] model = OnnxPolicyExporter.Export(weights);

        float[] logits = RunOrt(model, "logits", ("observation", observations, [batch, inputSize]));
        float[] probabilities = RunOrt(model, "probabilities", ("observation", observations, [batch, inputSize]));

        int actions = sizes[^1];
        logits.Should().HaveCount(batch * actions);
        for (int b = 0; b < batch; b++)
        {
            double[] expected = Mlp(weights, observations.AsSpan(b * inputSize, inputSize));
            double max = expected.Max();
            double total = expected.Sum(e => Math.Exp(e - max));
            for (int a = 0; a < actions; a++)
            {
                ((double)logits[(b * actions) + a]).Should().BeApproximately(expected[a], Tolerance, "row {0}, action {1}", b, a);
                ((double)probabilities[(b * actions) + a]).Should().BeApproximately(Math.Exp(expected[a] - max) / total, Tolerance);
            }
        }
    }

    [Fact]
    public void Export_MlpWithActivationOnLastLayer_AppliesIt()
    {
        var random = new Random(3);
        MlpPolicyWeights weights = RandomMlp(random, 4, [6, 2], DenseActivation.Relu, last: DenseActivation.Tanh);
        float[] observation = RandomValues(random, 4, 3.0);

        float[] logits = RunOrt(OnnxPolicyExporter.Export(weights), "logits", ("observation", observation, [1, 4]));

        double[] expected = Mlp(weights, observation);
        logits.Select(v => (double)v).Should().Equal(expected, (a, e) => Math.Abs(a - e) <= Tolerance);
        logits.Should().OnlyContain(v => v >= -1 && v <= 1);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(7, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(7, true)]
    public void Export_Gru_OrtLogitsMatchReference(int sequenceLength, bool linearBeforeReset)
    {
        var random = new Random((sequenceLength * 10) + (linearBeforeReset ? 1 : 0));
        const int features = 4;
        const int hidden = 6;
        const int actions = 3;
        const int batch = 4;
        GruPolicyWeights weights = RandomGru(random, features, hidden, actions, linearBeforeReset);
        float[] sequences = RandomValues(random, batch * sequenceLength * features, 1.5);

        float[] logits = RunOrt(OnnxPolicyExporter.Export(weights), "logits", ("sequence", sequences, [batch, sequenceLength, features]));

        for (int b = 0; b < batch; b++)
        {
            double[] expected = Gru(weights, sequences.AsSpan(b * sequenceLength * features, sequenceLength * features), sequenceLength);
            for (int a = 0; a < actions; a++)
            {
                ((double)logits[(b * actions) + a]).Should().BeApproximately(expected[a], Tolerance, "row {0}, action {1}", b, a);
            }
        }
    }

    [Fact]
    public void Export_GruWithSequenceLengths_UsesEachRowsLastValidStep()
    {
        var random = new Random(21);
        const int features = 3;
        const int hidden = 5;
        const int actions = 4;
        const int maxLength = 6;
        int[] lengths = [6, 1, 3, 4];
        GruPolicyWeights weights = RandomGru(random, features, hidden, actions, linearBeforeReset: true);
        float[] sequences = RandomValues(random, lengths.Length * maxLength * features, 1.5);
        var options = new OnnxExportOptions { IncludeSequenceLengths = true };

        float[] logits = RunOrt(
            OnnxPolicyExporter.Export(weights, options), "logits", [("sequence", sequences, [lengths.Length, maxLength, features])], ("sequence_lengths", lengths));

        for (int b = 0; b < lengths.Length; b++)
        {
            double[] expected = Gru(weights, sequences.AsSpan(b * maxLength * features, maxLength * features), lengths[b]);
            for (int a = 0; a < actions; a++)
            {
                ((double)logits[(b * actions) + a]).Should().BeApproximately(expected[a], Tolerance, "row {0} (length {1}), action {2}", b, lengths[b], a);
            }
        }
    }

    [Fact]
    public void ExportPacked_SequenceOnly_ReadsTheCountFromTheObservationAndEncodesZeroStepsAsZero()
    {
        var random = new Random(31);
        const int features = 3;
        const int hidden = 4;
        const int actions = 2;
        const int maxLength = 3;
        int[] counts = [0, 1, 3, 2];
        GruPolicyWeights weights = RandomGru(random, features, hidden, actions, linearBeforeReset: true);
        int width = 1 + (maxLength * features);
        float[] observations = RandomValues(random, counts.Length * width, 1.5);
        for (int b = 0; b < counts.Length; b++)
        {
            observations[b * width] = counts[b];
        }

        float[] logits = RunOrt(OnnxPolicyExporter.ExportPacked(weights, maxLength), "logits", ("observation", observations, [counts.Length, width]));

        for (int b = 0; b < counts.Length; b++)
        {
            double[] expected = counts[b] == 0
                ? Mlp(weights.Head, new double[hidden])
                : Gru(weights, observations.AsSpan((b * width) + 1, maxLength * features), counts[b]);
            for (int a = 0; a < actions; a++)
            {
                ((double)logits[(b * actions) + a]).Should().BeApproximately(expected[a], Tolerance, "row {0} (count {1}), action {2}", b, counts[b], a);
            }
        }
    }

    [Fact]
    public void Export_GruWithStaticFeatures_ThrowsPointingToExportPacked()
    {
        var random = new Random(3);
        GruPolicyWeights plain = RandomGru(random, 2, 3, 2, linearBeforeReset: true);
        var withStatic = new GruPolicyWeights(2, 3, plain.InputWeights.AsSpan(), plain.RecurrentWeights.AsSpan(), plain.InputBias.AsSpan(), plain.RecurrentBias.AsSpan(), true, RandomMlp(random, 5, [2], DenseActivation.None), staticSize: 2);

        Action export = () => OnnxPolicyExporter.Export(withStatic);
        Action zeroSteps = () => OnnxPolicyExporter.ExportPacked(withStatic, 0);
        Action value = () => OnnxPolicyExporter.ExportPackedValueFunction(withStatic, 2);
        var critic = new GruPolicyWeights(2, 3, plain.InputWeights.AsSpan(), plain.RecurrentWeights.AsSpan(), plain.InputBias.AsSpan(), plain.RecurrentBias.AsSpan(), true, RandomMlp(random, 5, [1], DenseActivation.None), staticSize: 2);
        float[] observation = RandomValues(random, 2 + 1 + (2 * 2));
        observation[2] = 0f; // no steps: the head reads the static features and a zero encoding
        float[] values = RunOrt(OnnxPolicyExporter.ExportPackedValueFunction(critic, 2), "value", ("observation", observation, [1, observation.Length]));
        double[] expected = Mlp(critic.Head, new double[] { observation[0], observation[1], 0, 0, 0 });

        export.Should().Throw<ArgumentException>().WithParameterName("policy").WithMessage("*ExportPacked*");
        zeroSteps.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sequenceLength");
        value.Should().Throw<ArgumentException>().WithParameterName("critic");
        withStatic.StaticSize.Should().Be(2);
        ((double)values.Single()).Should().BeApproximately(expected[0], Tolerance);
    }

    [Fact]
    public void Export_GruFromPyTorchGateOrder_MatchesTorchGruFormulas()
    {
        // Parameters laid out like torch.nn.GRU (gates r, z, n), checked against PyTorch's documented recurrence.
        var random = new Random(5);
        const int features = 2;
        const int hidden = 3;
        const int steps = 4;
        float[] weightIh = RandomValues(random, 3 * hidden * features);
        float[] weightHh = RandomValues(random, 3 * hidden * hidden);
        float[] biasIh = RandomValues(random, 3 * hidden);
        float[] biasHh = RandomValues(random, 3 * hidden);
        MlpPolicyWeights head = RandomMlp(random, hidden, [2], DenseActivation.None);
        float[] Reorder(float[] torch)
        {
            var onnx = new float[torch.Length];
            GruPolicyWeights.ReorderPyTorchGates(torch, hidden, onnx);
            return onnx;
        }

        var weights = new GruPolicyWeights(features, hidden, Reorder(weightIh), Reorder(weightHh), Reorder(biasIh), Reorder(biasHh), linearBeforeReset: true, head);
        float[] sequence = RandomValues(random, steps * features);

        float[] logits = RunOrt(OnnxPolicyExporter.Export(weights), "logits", ("sequence", sequence, [1, steps, features]));

        var h = new double[hidden];
        for (int t = 0; t < steps; t++)
        {
            double Gate(int block, int j, float[] w, float[] b, double[] x) // row (block·H + j) of W·x + b
            {
                double sum = b[(block * hidden) + j];
                for (int i = 0; i < x.Length; i++)
                {
                    sum += w[(((block * hidden) + j) * x.Length) + i] * x[i];
                }

                return sum;
            }

            double[] hf = h;
            double[] x = sequence.AsSpan(t * features, features).ToArray().Select(v => (double)v).ToArray();
            var next = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double r = 1 / (1 + Math.Exp(-(Gate(0, j, weightIh, biasIh, x) + Gate(0, j, weightHh, biasHh, hf))));
                double z = 1 / (1 + Math.Exp(-(Gate(1, j, weightIh, biasIh, x) + Gate(1, j, weightHh, biasHh, hf))));
                double n = Math.Tanh(Gate(2, j, weightIh, biasIh, x) + (r * Gate(2, j, weightHh, biasHh, hf)));
                next[j] = ((1 - z) * n) + (z * h[j]);
            }

            h = next;
        }

        double[] expected = Mlp(head, h);
        logits.Select(v => (double)v).Should().Equal(expected, (a, e) => Math.Abs(a - e) <= Tolerance);
    }

    [Theory]
    [InlineData(4, 3, 2, 5, 6)]
    [InlineData(3, 0, 1, 1, 2)]
    public void Export_Pointer_OrtLogitsAndProbabilitiesMatchReference(int d, int p, int f, int e, int h)
    {
        var random = new Random(5 + e);
        PointerPolicyWeights weights = RandomPointer(random, d, p, f, e, h);
        int size = weights.ObservationSize;
        int[] validCounts = [e, 0, e - 1, 1];
        float[] observations = RandomValues(random, validCounts.Length * size, 1.5);
        for (int b = 0; b < validCounts.Length; b++)
        {
            for (int i = 0; i < e; i++)
            {
                // Validity flags: the first validCounts[b] elements; the rest keep their (random) contents.
                observations[(b * size) + d + p + (i * (d + f)) + d] = i < validCounts[b] ? 1f : 0f;
            }
        }

        byte[] model = OnnxPolicyExporter.Export(weights);
        float[] logits = RunOrt(model, "logits", ("observation", observations, [validCounts.Length, size]));
        float[] probabilities = RunOrt(model, "probabilities", ("observation", observations, [validCounts.Length, size]));

        logits.Should().HaveCount(validCounts.Length * (e + 1));
        for (int b = 0; b < validCounts.Length; b++)
        {
            double[] expected = Pointer(weights, observations.AsSpan(b * size, size));
            double max = expected.Max();
            double total = expected.Sum(x => Math.Exp(x - max));
            for (int a = 0; a <= e; a++)
            {
                ((double)logits[(b * (e + 1)) + a]).Should().BeApproximately(expected[a], Tolerance, "row {0}, action {1}", b, a);
                ((double)probabilities[(b * (e + 1)) + a]).Should().BeApproximately(Math.Exp(expected[a] - max) / total, Tolerance);
            }
        }
    }

    [Fact]
    public void ExportValueFunction_Mlp_OrtValueMatchesReference()
    {
        var random = new Random(8);
        MlpPolicyWeights critic = RandomMlp(random, 5, [7, 1], DenseActivation.Tanh);
        float[] observations = RandomValues(random, 3 * 5);

        float[] values = RunOrt(OnnxPolicyExporter.ExportValueFunction(critic), "value", ("observation", observations, [3, 5]));

        values.Should().HaveCount(3);
        for (int b = 0; b < 3; b++)
        {
            ((double)values[b]).Should().BeApproximately(Mlp(critic, observations.AsSpan(b * 5, 5))[0], Tolerance);
        }
    }

    [Fact]
    public void ExportValueFunction_MoreThanOneOutput_ThrowsWithParamName()
    {
        MlpPolicyWeights actor = RandomMlp(new Random(1), 3, [2], DenseActivation.None);

        Action act = () => OnnxPolicyExporter.ExportValueFunction(actor);

        act.Should().Throw<ArgumentException>().WithParameterName("critic").WithMessage("*2 outputs*");
    }

    [Fact]
    public void Export_Mlp_WritesOpset17IrVersion8AndLittleEndianRawData()
    {
        MlpPolicyWeights weights = new MlpPolicyWeightsBuilder(2).AddLayer(1, [1.5f, -2.25f], [0.125f]).Build();

        ModelProto model = ModelProto.Parser.ParseFrom(OnnxPolicyExporter.Export(weights));

        model.IrVersion.Should().Be(8);
        model.OpsetImport.Should().ContainSingle().Which.Version.Should().Be(17);
        model.ProducerName.Should().Be("PromptKit");
        TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "layer.0.weight");
        weight.Dims.Should().Equal(1, 2);
        weight.DataType.Should().Be((int)TensorProto.Types.DataType.Float);
        weight.RawData.ToByteArray().Should().Equal(0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x10, 0xC0);
        model.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam.Should().Be("batch");
    }

    [Fact]
    public void Export_CustomNamesAndMetadata_AreInTheModel()
    {
        MlpPolicyWeights weights = RandomMlp(new Random(2), 3, [2], DenseActivation.None);
        var options = new OnnxExportOptions
        {
            ObservationInputName = "state",
            LogitsOutputName = "scores",
            ProbabilitiesOutputName = null,
            Description = "test actor",
            ModelVersion = 7,
        };
        options.Metadata["trained_with"] = "ppo";

        using OnnxSession session = OnnxSessionFactory.Create(OnnxPolicyExporter.Export(weights, options));

        session.Session.InputMetadata.Keys.Should().Equal("state");
        session.Session.OutputMetadata.Keys.Should().Equal("scores");
        session.Session.ModelMetadata.CustomMetadataMap.Should().Contain("trained_with", "ppo");
        session.Session.ModelMetadata.Description.Should().Be("test actor");
        session.Session.ModelMetadata.Version.Should().Be(7);
    }

    [Theory]
    [InlineData("", "logits")]
    [InlineData("observation", "observation")]
    [InlineData("obs.x", "logits")]
    public void Export_InvalidNames_ThrowsWithParamName(string input, string output)
    {
        MlpPolicyWeights weights = RandomMlp(new Random(2), 3, [2], DenseActivation.None);
        var options = new OnnxExportOptions { ObservationInputName = input, LogitsOutputName = output };

        Action act = () => OnnxPolicyExporter.Export(weights, options);

        act.Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*ObservationInputName*");
    }

    [Fact]
    public void ExportToFile_Mlp_WritesAModelOrtLoads()
    {
        MlpPolicyWeights weights = RandomMlp(new Random(4), 3, [4, 2], DenseActivation.Relu);
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-export-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxPolicyExporter.ExportToFile(weights, path);

            File.ReadAllBytes(path).Should().Equal(OnnxPolicyExporter.Export(weights));
            using OnnxSession session = OnnxSessionFactory.Create(path);
            session.Session.OutputMetadata.Keys.Should().BeEquivalentTo("logits", "probabilities");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExportToFile_Gru_WritesAModelOrtLoads()
    {
        GruPolicyWeights weights = RandomGru(new Random(4), 2, 3, 2, linearBeforeReset: false);
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-export-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxPolicyExporter.ExportToFile(weights, path);

            using OnnxSession session = OnnxSessionFactory.Create(path);
            session.Session.InputMetadata["sequence"].Dimensions.Should().Equal(-1, -1, 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_NullArguments_ThrowWithParamNames()
    {
        MlpPolicyWeights mlp = RandomMlp(new Random(4), 3, [2], DenseActivation.None);
        GruPolicyWeights gru = RandomGru(new Random(4), 2, 3, 2, linearBeforeReset: false);

        ((Action)(() => OnnxPolicyExporter.Export((MlpPolicyWeights)null!))).Should().Throw<ArgumentNullException>().WithParameterName("policy");
        ((Action)(() => OnnxPolicyExporter.Export((GruPolicyWeights)null!))).Should().Throw<ArgumentNullException>().WithParameterName("policy");
        ((Action)(() => OnnxPolicyExporter.ExportValueFunction(null!))).Should().Throw<ArgumentNullException>().WithParameterName("critic");
        ((Action)(() => OnnxPolicyExporter.ExportToFile((MlpPolicyWeights)null!, "x.onnx"))).Should().Throw<ArgumentNullException>().WithParameterName("policy");
        ((Action)(() => OnnxPolicyExporter.ExportToFile(mlp, null!))).Should().Throw<ArgumentNullException>().WithParameterName("path");
        ((Action)(() => OnnxPolicyExporter.ExportToFile(gru, " "))).Should().Throw<ArgumentException>().WithParameterName("path");
        ((Action)(() => OnnxPolicyExporter.ExportToFile((GruPolicyWeights)null!, "x.onnx"))).Should().Throw<ArgumentNullException>().WithParameterName("policy");
    }
}
