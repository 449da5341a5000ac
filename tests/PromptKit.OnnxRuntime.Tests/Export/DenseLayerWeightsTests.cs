namespace PromptKit.OnnxRuntime.Tests.Export;

public sealed class DenseLayerWeightsTests
{
    [Fact]
    public void Constructor_ValidArguments_CopiesValues()
    {
        float[] weights = [1, 2, 3, 4, 5, 6];
        float[] bias = [0.5f, -0.5f];

        var layer = new DenseLayerWeights(3, 2, weights, bias, DenseActivation.Tanh);
        weights[0] = 99;

        layer.InputSize.Should().Be(3);
        layer.OutputSize.Should().Be(2);
        layer.Weights.Should().Equal(1, 2, 3, 4, 5, 6);
        layer.Bias.Should().Equal(0.5f, -0.5f);
        layer.Activation.Should().Be(DenseActivation.Tanh);
    }

    [Theory]
    [InlineData(0, 2, "inputSize")]
    [InlineData(-1, 2, "inputSize")]
    [InlineData(2, 0, "outputSize")]
    public void Constructor_NonPositiveSize_ThrowsWithParamName(int inputSize, int outputSize, string parameter)
    {
        Action act = () => _ = new DenseLayerWeights(inputSize, outputSize, [], []);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void Constructor_WrongWeightCount_ThrowsNamingShape()
    {
        Action act = () => _ = new DenseLayerWeights(3, 2, new float[5], new float[2]);

        act.Should().Throw<ArgumentException>().WithParameterName("weights").WithMessage("*5 values*[2, 3]*6*");
    }

    [Fact]
    public void Constructor_WrongBiasCount_ThrowsWithParamName()
    {
        Action act = () => _ = new DenseLayerWeights(3, 2, new float[6], new float[3]);

        act.Should().Throw<ArgumentException>().WithParameterName("bias");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Constructor_NonFiniteWeight_ThrowsNamingIndex(float bad)
    {
        float[] weights = [1, 2, 3, bad];

        Action act = () => _ = new DenseLayerWeights(2, 2, weights, [0, 0]);

        act.Should().Throw<ArgumentException>().WithParameterName("weights").WithMessage("*index 3*");
    }

    [Fact]
    public void Constructor_NaNBias_ThrowsWithParamName()
    {
        Action act = () => _ = new DenseLayerWeights(1, 2, [1, 2], [0, float.NaN]);

        act.Should().Throw<ArgumentException>().WithParameterName("bias").WithMessage("*index 1*");
    }

    [Fact]
    public void Constructor_UndefinedActivation_ThrowsWithParamName()
    {
        Action act = () => _ = new DenseLayerWeights(1, 1, [1], [0], (DenseActivation)42);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("activation");
    }
}
