namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class MlpPolicyWeightsTests
{
    [Fact]
    public void Constructor_ChainedLayers_ExposesSizes()
    {
        var first = new DenseLayerWeights(3, 4, new float[12], new float[4], DenseActivation.Relu);
        var second = new DenseLayerWeights(4, 2, new float[8], new float[2]);

        var weights = new MlpPolicyWeights([first, second]);

        weights.InputSize.Should().Be(3);
        weights.OutputSize.Should().Be(2);
        weights.Layers.Should().Equal(first, second);
    }

    [Fact]
    public void Constructor_Null_ThrowsWithParamName()
    {
        Action act = () => _ = new MlpPolicyWeights(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("layers");
    }

    [Fact]
    public void Constructor_Empty_ThrowsWithParamName()
    {
        Action act = () => _ = new MlpPolicyWeights([]);

        act.Should().Throw<ArgumentException>().WithParameterName("layers");
    }

    [Fact]
    public void Constructor_NullLayer_ThrowsNamingIndex()
    {
        var first = new DenseLayerWeights(3, 4, new float[12], new float[4]);

        Action act = () => _ = new MlpPolicyWeights([first, null!]);

        act.Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*index 1*");
    }

    [Fact]
    public void Constructor_SizesDoNotChain_ThrowsNamingBothLayers()
    {
        var first = new DenseLayerWeights(3, 4, new float[12], new float[4]);
        var second = new DenseLayerWeights(5, 2, new float[10], new float[2]);

        Action act = () => _ = new MlpPolicyWeights([first, second]);

        act.Should().Throw<ArgumentException>().WithParameterName("layers").WithMessage("*index 1 reads 5*layer 0 writes 4*");
    }
}
