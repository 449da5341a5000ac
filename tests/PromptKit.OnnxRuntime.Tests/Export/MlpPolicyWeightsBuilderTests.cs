namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class MlpPolicyWeightsBuilderTests
{
    [Fact]
    public void Build_TwoLayers_ChainsSizes()
    {
        var builder = new MlpPolicyWeightsBuilder(3);

        MlpPolicyWeights weights = builder
            .AddLayer(4, new float[12], new float[4], DenseActivation.Relu)
            .AddLayer(2, new float[8], new float[2])
            .Build();

        weights.Layers.Select(l => (l.InputSize, l.OutputSize, l.Activation)).Should().Equal((3, 4, DenseActivation.Relu), (4, 2, DenseActivation.None));
        builder.CurrentSize.Should().Be(2);
    }

    [Fact]
    public void Build_LaterAdds_DoNotChangeEarlierProduct()
    {
        var builder = new MlpPolicyWeightsBuilder(2).AddLayer(2, new float[4], new float[2]);
        MlpPolicyWeights first = builder.Build();

        builder.AddLayer(1, new float[2], new float[1]);

        first.Layers.Should().HaveCount(1);
        builder.Build().Layers.Should().HaveCount(2);
    }

    [Fact]
    public void Build_NoLayers_ThrowsInvalidOperation()
    {
        Action act = () => new MlpPolicyWeightsBuilder(2).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*AddLayer*");
    }

    [Fact]
    public void Constructor_NonPositiveInputSize_ThrowsWithParamName()
    {
        Action act = () => _ = new MlpPolicyWeightsBuilder(0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize");
    }

    [Fact]
    public void AddLayer_WeightsForWrongInputSize_ThrowsWithParamName()
    {
        var builder = new MlpPolicyWeightsBuilder(3);

        Action act = () => builder.AddLayer(2, new float[4], new float[2]);

        act.Should().Throw<ArgumentException>().WithParameterName("weights");
    }

    [Fact]
    public void AddLayer_NullLayer_ThrowsWithParamName()
    {
        Action act = () => new MlpPolicyWeightsBuilder(3).AddLayer(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("layer");
    }

    [Fact]
    public void AddLayer_LayerWithWrongInputSize_ThrowsWithParamName()
    {
        var layer = new DenseLayerWeights(4, 1, new float[4], new float[1]);

        Action act = () => new MlpPolicyWeightsBuilder(3).AddLayer(layer);

        act.Should().Throw<ArgumentException>().WithParameterName("layer").WithMessage("*4 inputs*3 values*");
    }
}
