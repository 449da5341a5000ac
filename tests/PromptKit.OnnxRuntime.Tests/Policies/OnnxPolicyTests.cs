using static PromptKit.OnnxRuntime.Tests.Export.ReferenceNetworks;

namespace PromptKit.OnnxRuntime.Tests.Policies;

public sealed class OnnxPolicyTests
{
    private const double Tolerance = 1e-5;
    private const int ObservationSize = 6;
    private const int Actions = 4;

    private static readonly MlpPolicyWeights Weights = RandomMlp(new Random(42), ObservationSize, [16, 8, Actions], DenseActivation.Tanh);
    private static readonly byte[] Model = OnnxPolicyExporter.Export(Weights);
    private static readonly OnnxPolicyOptions Cpu = new() { Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu } };

    [Fact]
    public void Constructor_ExportedMlp_ReadsSizesFromTheModel()
    {
        using var policy = new OnnxPolicy(Model, Cpu);

        policy.ObservationSize.Should().Be(ObservationSize);
        policy.ActionCount.Should().Be(Actions);
        policy.ExecutionProvider.Should().Be("CPUExecutionProvider");
        policy.ModelName.Should().Be("(in-memory model)");
        policy.MaxBatchSize.Should().Be(int.MaxValue);
    }

    [Fact]
    public void ComputeLogits_ExportedMlp_MatchesReferenceForManyObservations()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var random = new Random(1);
        var logits = new float[Actions];

        for (int i = 0; i < 20; i++)
        {
            float[] observation = RandomValues(random, ObservationSize, 2.0);

            policy.ComputeLogits(observation, logits);

            ShouldMatch(logits, Mlp(Weights, observation));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    public void ComputeLogits_Batch_MatchesReferenceRowByRow(int batchSize)
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        float[] observations = RandomValues(new Random(batchSize), batchSize * ObservationSize, 2.0);
        var logits = new float[batchSize * Actions];

        policy.ComputeLogits(observations, batchSize, logits);

        for (int b = 0; b < batchSize; b++)
        {
            ShouldMatch(logits.AsSpan(b * Actions, Actions), Mlp(Weights, observations.AsSpan(b * ObservationSize, ObservationSize)));
        }
    }

    [Fact]
    public void ComputeLogits_AlternatingBatchSizes_ReshapesBuffersCorrectly()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var random = new Random(2);

        foreach (int batchSize in new[] { 3, 256, 1, 3, 2, 256 })
        {
            float[] observations = RandomValues(random, batchSize * ObservationSize);
            var logits = new float[batchSize * Actions];

            policy.ComputeLogits(observations, batchSize, logits);

            ShouldMatch(logits.AsSpan((batchSize - 1) * Actions, Actions), Mlp(Weights, observations.AsSpan((batchSize - 1) * ObservationSize, ObservationSize)));
        }
    }

    [Fact]
    public void Constructor_FromFile_ServesTheSameModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-policy-{Guid.NewGuid():N}.onnx");
        OnnxPolicyExporter.ExportToFile(Weights, path);
        try
        {
            using var policy = new OnnxPolicy(path, Cpu);
            float[] observation = RandomValues(new Random(3), ObservationSize);
            var logits = new float[Actions];

            policy.ComputeLogits(observation, logits);

            policy.ModelName.Should().Be(path);
            ShouldMatch(logits, Mlp(Weights, observation));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_CustomNames_UsesThem()
    {
        byte[] model = OnnxPolicyExporter.Export(Weights, new OnnxExportOptions { ObservationInputName = "state", LogitsOutputName = "scores" });
        var options = new OnnxPolicyOptions { InputName = "state", OutputName = "scores", Session = Cpu.Session };

        using var policy = new OnnxPolicy(model, options);
        float[] observation = RandomValues(new Random(4), ObservationSize);
        var logits = new float[Actions];
        policy.ComputeLogits(observation, logits);

        ShouldMatch(logits, Mlp(Weights, observation));
    }

    [Fact]
    public void SelectAction_Greedy_TakesReferenceArgMaxWithItsLogProbability()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var random = new Random(5);

        for (int i = 0; i < 10; i++)
        {
            float[] observation = RandomValues(random, ObservationSize, 2.0);

            PolicyDecision decision = policy.SelectAction(observation, ActionSelection.Greedy);

            double[] expected = Mlp(Weights, observation);
            int best = Array.IndexOf(expected, expected.Max());
            double logSumExp = Math.Log(expected.Sum(Math.Exp));
            decision.Action.Should().Be(best);
            ((double)decision.LogProbability).Should().BeApproximately(expected[best] - logSumExp, Tolerance);
        }
    }

    [Fact]
    public void SelectAction_SampleWithSeed_MatchesPolicyMathOnTheSameLogits()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        float[] observation = RandomValues(new Random(6), ObservationSize);
        var logits = new float[Actions];
        policy.ComputeLogits(observation, logits);

        var policyRandom = new Random(9);
        var referenceRandom = new Random(9);
        for (int i = 0; i < 50; i++)
        {
            PolicyDecision decision = policy.SelectAction(observation, ActionSelection.Sample, policyRandom);

            decision.Action.Should().Be(PolicyMath.Sample(logits, referenceRandom));
        }
    }

    [Fact]
    public void SelectAction_Mask_NeverChoosesMaskedActions()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var random = new Random(7);
        bool[] mask = [false, true, false, true];

        for (int i = 0; i < 200; i++)
        {
            float[] observation = RandomValues(random, ObservationSize, 2.0);

            PolicyDecision sampled = policy.SelectAction(observation, ActionSelection.Sample, random, mask);
            PolicyDecision greedy = policy.SelectAction(observation, ActionSelection.Greedy, mask: mask);

            mask[sampled.Action].Should().BeTrue();
            mask[greedy.Action].Should().BeTrue();
        }
    }

    [Fact]
    public void SelectActions_Greedy_EqualsPerRowSelection()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        const int batchSize = 32;
        float[] observations = RandomValues(new Random(8), batchSize * ObservationSize, 2.0);
        var decisions = new PolicyDecision[batchSize];

        policy.SelectActions(observations, batchSize, ActionSelection.Greedy, decisions);

        for (int b = 0; b < batchSize; b++)
        {
            PolicyDecision single = policy.SelectAction(observations.AsSpan(b * ObservationSize, ObservationSize), ActionSelection.Greedy);
            decisions[b].Action.Should().Be(single.Action);
            decisions[b].LogProbability.Should().BeApproximately(single.LogProbability, 1e-5f);
        }
    }

    [Fact]
    public void SelectActions_PerRowMasks_AreRespected()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        const int batchSize = 64;
        var random = new Random(10);
        float[] observations = RandomValues(random, batchSize * ObservationSize, 2.0);
        var masks = new bool[batchSize * Actions];
        for (int b = 0; b < batchSize; b++)
        {
            masks[(b * Actions) + (b % Actions)] = true; // exactly one allowed action per row
        }

        var sampled = new PolicyDecision[batchSize];
        var greedy = new PolicyDecision[batchSize];

        policy.SelectActions(observations, batchSize, ActionSelection.Sample, sampled, random, masks);
        policy.SelectActions(observations, batchSize, ActionSelection.Greedy, greedy, masks: masks);

        for (int b = 0; b < batchSize; b++)
        {
            sampled[b].Action.Should().Be(b % Actions);
            greedy[b].Action.Should().Be(b % Actions);
            greedy[b].LogProbability.Should().Be(0f);
        }
    }

    [Fact]
    public void SelectActions_RowMaskAllowsNothing_ThrowsNamingRow()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var masks = new bool[2 * Actions];
        masks[0] = true;

        Action act = () => policy.SelectActions(new float[2 * ObservationSize], 2, ActionSelection.Greedy, new PolicyDecision[2], masks: masks);

        act.Should().Throw<ArgumentException>().WithParameterName("masks").WithMessage("*row 1*");
    }

    [Fact]
    public void SelectActions_BadArguments_ThrowWithParamNames()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        float[] observations = new float[2 * ObservationSize];
        var decisions = new PolicyDecision[2];

        ((Action)(() => policy.SelectActions(observations, 2, ActionSelection.Sample, decisions))).Should().Throw<ArgumentNullException>().WithParameterName("random");
        ((Action)(() => policy.SelectActions(observations, 2, (ActionSelection)9, decisions))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("selection");
        ((Action)(() => policy.SelectActions(observations, 0, ActionSelection.Greedy, decisions))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchSize");
        ((Action)(() => policy.SelectActions(observations, 3, ActionSelection.Greedy, decisions))).Should().Throw<ArgumentException>().WithParameterName("observations");
        ((Action)(() => policy.SelectActions(observations, 2, ActionSelection.Greedy, new PolicyDecision[3]))).Should().Throw<ArgumentException>().WithParameterName("decisions");
        ((Action)(() => policy.SelectActions(observations, 2, ActionSelection.Greedy, decisions, masks: new bool[3]))).Should().Throw<ArgumentException>().WithParameterName("masks");
    }

    [Fact]
    public void ComputeLogits_WrongSizes_ThrowWithParamNames()
    {
        using var policy = new OnnxPolicy(Model, Cpu);

        ((Action)(() => policy.ComputeLogits(new float[ObservationSize - 1], new float[Actions]))).Should().Throw<ArgumentException>().WithParameterName("observation");
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize], new float[Actions + 1]))).Should().Throw<ArgumentException>().WithParameterName("logits");
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize * 2], 2, new float[Actions]))).Should().Throw<ArgumentException>().WithParameterName("logits");
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize * 2], 3, new float[Actions * 3]))).Should().Throw<ArgumentException>().WithParameterName("observations");
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize], 0, new float[Actions]))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchSize");
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize], -1, new float[Actions]))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchSize");
    }

    [Fact]
    public void ComputeLogits_NaNObservation_ThrowsNamingIndex()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        var observation = new float[ObservationSize];
        observation[4] = float.NaN;
        var observations = new float[2 * ObservationSize];
        observations[ObservationSize + 1] = float.PositiveInfinity;

        ((Action)(() => policy.ComputeLogits(observation, new float[Actions]))).Should().Throw<ArgumentException>().WithParameterName("observation").WithMessage("*index 4*");
        ((Action)(() => policy.ComputeLogits(observations, 2, new float[2 * Actions]))).Should().Throw<ArgumentException>().WithParameterName("observations").WithMessage("*row 1, column 1*");
    }

    [Fact]
    public void Constructor_WrongNames_ThrowsModelLoadExceptionWithExpectedSignature()
    {
        var options = new OnnxPolicyOptions { InputName = "state", Session = Cpu.Session };

        Action act = () => _ = new OnnxPolicy(Model, options);

        act.Should().Throw<ModelLoadException>().WithMessage("*Expected inputs [state] and outputs [logits]*has inputs [observation]*");
    }

    [Fact]
    public void Constructor_SequenceModel_ThrowsModelLoadExceptionDescribingShapes()
    {
        GruPolicyWeights gru = RandomGru(new Random(1), 3, 4, 2, linearBeforeReset: false);
        var options = new OnnxPolicyOptions { InputName = "sequence", Session = Cpu.Session };

        Action act = () => _ = new OnnxPolicy(OnnxPolicyExporter.Export(gru), options);

        act.Should().Throw<ModelLoadException>()
            .WithMessage("*input 'sequence' has shape [-1, -1, 3]*Expected exactly one input 'sequence' float [batch, observation size]*")
            .Which.ModelPath.Should().BeNull();
    }

    [Fact]
    public void Constructor_ModelWithExtraInput_ThrowsModelLoadException()
    {
        GruPolicyWeights gru = RandomGru(new Random(1), 3, 4, 2, linearBeforeReset: false);
        byte[] model = OnnxPolicyExporter.Export(gru, new OnnxExportOptions { IncludeSequenceLengths = true });
        var options = new OnnxPolicyOptions { InputName = "sequence", Session = Cpu.Session };
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-gru-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            Action act = () => _ = new OnnxPolicy(path, options);

            act.Should().Throw<ModelLoadException>().WithMessage($"*'{path}'*2 inputs [sequence, sequence_lengths]*").Which.ModelPath.Should().Be(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsModelLoadExceptionNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        Action act = () => _ = new OnnxPolicy(path, Cpu);

        act.Should().Throw<ModelLoadException>().WithMessage($"*{path}*").Which.ModelPath.Should().Be(path);
    }

    [Fact]
    public void Constructor_FixedBatchOfOne_ServesSingleObservationsOnly()
    {
        using var policy = new OnnxPolicy(FixedBatchModel(1), Cpu);
        var logits = new float[2];

        policy.ComputeLogits([1, 2], logits);
        Action batchOfTwo = () => policy.ComputeLogits(new float[4], 2, new float[4]);

        policy.MaxBatchSize.Should().Be(1);
        logits.Should().Equal(1, 2);
        batchOfTwo.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchSize");
    }

    [Fact]
    public void Constructor_FixedBatchLargerThanOne_ThrowsModelLoadException()
    {
        Action act = () => _ = new OnnxPolicy(FixedBatchModel(4), Cpu);

        act.Should().Throw<ModelLoadException>().WithMessage("*batch dimension is fixed at 4*");
    }

    [Fact]
    public void Constructor_NullOrInvalidArguments_ThrowWithParamNames()
    {
        ((Action)(() => _ = new OnnxPolicy((string)null!))).Should().Throw<ArgumentNullException>().WithParameterName("modelPath");
        ((Action)(() => _ = new OnnxPolicy(" "))).Should().Throw<ArgumentException>().WithParameterName("modelPath");
        ((Action)(() => _ = new OnnxPolicy((byte[])null!))).Should().Throw<ArgumentNullException>().WithParameterName("model");
        ((Action)(() => _ = new OnnxPolicy(Model, new OnnxPolicyOptions { OutputName = "" }))).Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*OutputName*");
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var policy = new OnnxPolicy(Model, Cpu);
        policy.ComputeLogits(new float[ObservationSize], new float[Actions]);

        policy.Dispose();
        policy.Dispose();

        ((Action)(() => policy.ComputeLogits(new float[ObservationSize], new float[Actions]))).Should().Throw<ObjectDisposedException>();
        ((Action)(() => policy.ComputeLogits(new float[ObservationSize], 1, new float[Actions]))).Should().Throw<ObjectDisposedException>();
        ((Action)(() => policy.SelectActions(new float[ObservationSize], 1, ActionSelection.Greedy, new PolicyDecision[1]))).Should().Throw<ObjectDisposedException>();
        ((Action)(() => policy.SelectAction(new float[ObservationSize], ActionSelection.Greedy))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void ComputeLogits_ConcurrentCallers_EachGetTheirOwnResults()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        const int threads = 8;
        const int callsPerThread = 150;
        float[][] observations = Enumerable.Range(0, threads * 4).Select(i => RandomValues(new Random(100 + i), 3 * ObservationSize, 2.0)).ToArray();
        double[][][] expected = observations
            .Select(o => Enumerable.Range(0, 3).Select(b => Mlp(Weights, o.AsSpan(b * ObservationSize, ObservationSize))).ToArray())
            .ToArray();
        int mismatches = 0;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var single = new float[Actions];
            var batch = new float[3 * Actions];
            for (int call = 0; call < callsPerThread; call++)
            {
                int index = ((t * 7) + call) % observations.Length;
                if (call % 3 == 0)
                {
                    policy.ComputeLogits(observations[index], 3, batch);
                    for (int b = 0; b < 3; b++)
                    {
                        if (!Close(batch.AsSpan(b * Actions, Actions), expected[index][b]))
                        {
                            Interlocked.Increment(ref mismatches);
                        }
                    }
                }
                else
                {
                    int row = call % 3;
                    policy.ComputeLogits(observations[index].AsSpan(row * ObservationSize, ObservationSize), single);
                    if (!Close(single, expected[index][row]))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        mismatches.Should().Be(0);
    }

    [Fact]
    public void ComputeLogits_AfterWarmUp_AllocatesAlmostNothingPerCall()
    {
        using var policy = new OnnxPolicy(Model, Cpu);
        float[] observation = RandomValues(new Random(11), ObservationSize);
        float[] observations = RandomValues(new Random(12), 16 * ObservationSize);
        var logits = new float[Actions];
        var batchLogits = new float[16 * Actions];
        policy.ComputeLogits(observation, logits);
        policy.ComputeLogits(observations, 16, batchLogits);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            policy.ComputeLogits(observation, logits);
            policy.ComputeLogits(observations, 16, batchLogits);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 200;
        perCall.Should().BeLessThan(64, "the bound buffers are reused, so a call should not allocate");
    }

    private static byte[] FixedBatchModel(int batch)
    {
        // Identity over 2 values with a fixed batch dimension, written with the internal graph writer.
        var writer = new OnnxGraphWriter("fixed");
        writer.AddInput("observation", TensorProto.Types.DataType.Float, OnnxGraphWriter.Dim.Fixed(batch), OnnxGraphWriter.Dim.Fixed(2));
        writer.AddNode("Identity", "id", ["observation"], ["logits"]);
        writer.AddOutput("logits", TensorProto.Types.DataType.Float, OnnxGraphWriter.Dim.Fixed(batch), OnnxGraphWriter.Dim.Fixed(2));
        return writer.ToModelBytes(OnnxPolicyExporter.OpsetVersion, OnnxPolicyExporter.IrVersion, new OnnxExportOptions());
    }

    private static bool Close(ReadOnlySpan<float> actual, double[] expected)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(actual[i] - expected[i]) > Tolerance)
            {
                return false;
            }
        }

        return true;
    }

    private static void ShouldMatch(ReadOnlySpan<float> actual, double[] expected)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            ((double)actual[i]).Should().BeApproximately(expected[i], Tolerance, "action {0}", i);
        }
    }
}
