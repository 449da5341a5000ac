namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class PointerPolicyWeightsTests
{
    // D = 2, P = 1, F = 1, E = 3, H = 4: keys 2D + F = 5, query D + P = 3, stop input D + P + H = 7.
    private static readonly DenseLayerWeights Key = Layer(5, 4);
    private static readonly DenseLayerWeights Query = Layer(3, 4);
    private static readonly DenseLayerWeights Score = Layer(4, 1);
    private static readonly MlpPolicyWeights Stop = new MlpPolicyWeightsBuilder(7).AddLayer(4, new float[28], new float[4], DenseActivation.Tanh).AddLayer(1, new float[4], new float[1]).Build();

    [Fact]
    public void Constructor_ValidArguments_ExposesTheLayout()
    {
        var weights = new PointerPolicyWeights(2, 1, 1, 3, Key, Query, Score, Stop);

        weights.ObservationSize.Should().Be(2 + 1 + (3 * (2 + 1)));
        PointerPolicyWeights.GetObservationSize(64, 4, 8, 24).Should().Be(1796);
        weights.ActionCount.Should().Be(4);
        weights.HiddenSize.Should().Be(4);
        weights.ElementProjection.Should().BeSameAs(Key);
        weights.StopHead.Should().BeSameAs(Stop);
    }

    [Theory]
    [InlineData(0, 1, 1, 3, "contextSize")]
    [InlineData(2, -1, 1, 3, "progressSize")]
    [InlineData(2, 1, 0, 3, "elementFeatureSize")]
    [InlineData(2, 1, 1, 0, "maxElements")]
    [InlineData(2, 1, 1, int.MaxValue, "maxElements")]
    public void Constructor_BadSize_ThrowsWithParamName(int d, int p, int f, int e, string parameter)
    {
        Action act = () => _ = new PointerPolicyWeights(d, p, f, e, Key, Query, Score, Stop);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    public static TheoryData<DenseLayerWeights, DenseLayerWeights, DenseLayerWeights, MlpPolicyWeights, string, string> Mismatches => new()
    {
        { Layer(4, 4), Query, Score, Stop, "elementProjection", "*5 inputs*" },
        { Key, Layer(3, 5), Score, Stop, "queryProjection", "*3 inputs to 4*" },
        { Key, Query, Layer(4, 2), Stop, "score", "*4 inputs to 1*" },
        { Key, Query, Score, new MlpPolicyWeightsBuilder(6).AddLayer(1, new float[6], new float[1]).Build(), "stopHead", "*7 = D + P + H*" },
        { Key, new DenseLayerWeights(3, 4, new float[12], new float[4], DenseActivation.Tanh), Score, Stop, "queryProjection", "*activation Tanh*" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Constructor_LayerDoesNotFitTheLayout_ThrowsWithParamName(DenseLayerWeights key, DenseLayerWeights query, DenseLayerWeights score, MlpPolicyWeights stop, string parameter, string message)
    {
        Action act = () => _ = new PointerPolicyWeights(2, 1, 1, 3, key, query, score, stop);

        act.Should().Throw<ArgumentException>().WithParameterName(parameter).WithMessage(message);
    }

    [Fact]
    public void Constructor_NullLayer_ThrowsWithParamName()
    {
        Action act = () => _ = new PointerPolicyWeights(2, 1, 1, 3, Key, Query, null!, Stop);

        act.Should().Throw<ArgumentNullException>().WithParameterName("score");
    }

    private static DenseLayerWeights Layer(int inputs, int outputs) => new(inputs, outputs, new float[inputs * outputs], new float[outputs]);
}
