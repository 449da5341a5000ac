namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class GruPolicyWeightsTests
{
    private static readonly MlpPolicyWeights Head = new MlpPolicyWeightsBuilder(2).AddLayer(3, new float[6], new float[3]).Build();

    [Fact]
    public void Constructor_ValidArguments_ExposesWeights()
    {
        var weights = new GruPolicyWeights(4, 2, new float[24], new float[12], new float[6], Enumerable.Range(0, 6).Select(i => (float)i).ToArray(), true, Head);

        weights.InputSize.Should().Be(4);
        weights.HiddenSize.Should().Be(2);
        weights.ActionCount.Should().Be(3);
        weights.LinearBeforeReset.Should().BeTrue();
        weights.RecurrentBias.Should().Equal(0, 1, 2, 3, 4, 5);
        weights.Head.Should().BeSameAs(Head);
    }

    [Theory]
    [InlineData(0, 2, "inputSize")]
    [InlineData(4, 0, "hiddenSize")]
    public void Constructor_NonPositiveSize_ThrowsWithParamName(int inputSize, int hiddenSize, string parameter)
    {
        Action act = () => _ = new GruPolicyWeights(inputSize, hiddenSize, [], [], [], [], false, Head);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void Constructor_NullHead_ThrowsWithParamName()
    {
        Action act = () => _ = new GruPolicyWeights(4, 2, new float[24], new float[12], new float[6], new float[6], false, null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("head");
    }

    [Fact]
    public void Constructor_HeadSizeMismatch_ThrowsWithParamName()
    {
        Action act = () => _ = new GruPolicyWeights(4, 3, new float[36], new float[27], new float[9], new float[9], false, Head);

        act.Should().Throw<ArgumentException>().WithParameterName("head").WithMessage("*2 inputs*hidden size 3 make 3*");
    }

    [Theory]
    [InlineData(23, 12, 6, 6, "inputWeights")]
    [InlineData(24, 13, 6, 6, "recurrentWeights")]
    [InlineData(24, 12, 5, 6, "inputBias")]
    [InlineData(24, 12, 6, 7, "recurrentBias")]
    public void Constructor_WrongLength_ThrowsWithParamName(int w, int r, int wb, int rb, string parameter)
    {
        Action act = () => _ = new GruPolicyWeights(4, 2, new float[w], new float[r], new float[wb], new float[rb], false, Head);

        act.Should().Throw<ArgumentException>().WithParameterName(parameter);
    }

    [Fact]
    public void Constructor_NaNRecurrentWeight_ThrowsNamingIndex()
    {
        float[] recurrent = new float[12];
        recurrent[7] = float.NaN;

        Action act = () => _ = new GruPolicyWeights(4, 2, new float[24], recurrent, new float[6], new float[6], false, Head);

        act.Should().Throw<ArgumentException>().WithParameterName("recurrentWeights").WithMessage("*index 7*");
    }

    [Fact]
    public void ReorderPyTorchGates_Bias_SwapsFirstTwoBlocks()
    {
        float[] torch = [1, 1, 2, 2, 3, 3]; // r, z, n with hidden size 2
        var onnx = new float[6];

        GruPolicyWeights.ReorderPyTorchGates(torch, 2, onnx);

        onnx.Should().Equal(2, 2, 1, 1, 3, 3);
    }

    [Fact]
    public void ReorderPyTorchGates_Matrix_MovesWholeRows()
    {
        float[] torch = Enumerable.Range(0, 12).Select(i => (float)i).ToArray(); // [3*2, 2]: rows r0 r1 z0 z1 n0 n1
        var onnx = new float[12];

        GruPolicyWeights.ReorderPyTorchGates(torch, 2, onnx);

        onnx.Should().Equal(4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11);
    }

    [Fact]
    public void ReorderPyTorchGates_BadArguments_ThrowWithParamNames()
    {
        float[] six = new float[6];
        float[] five = new float[5];

        ((Action)(() => GruPolicyWeights.ReorderPyTorchGates(six, 0, new float[6]))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hiddenSize");
        ((Action)(() => GruPolicyWeights.ReorderPyTorchGates(five, 2, new float[5]))).Should().Throw<ArgumentException>().WithParameterName("source");
        ((Action)(() => GruPolicyWeights.ReorderPyTorchGates(six, 2, new float[5]))).Should().Throw<ArgumentException>().WithParameterName("destination");
        ((Action)(() => GruPolicyWeights.ReorderPyTorchGates(six, 2, six))).Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*overlaps*");
    }
}
