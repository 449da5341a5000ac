using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training.Tests.Networks;

public sealed class MlpNetworkTests
{
    [Fact]
    public void Forward_Batch_ReturnsBatchByOutputSize()
    {
        using var network = new MlpNetwork(4, [16, 8], 3);
        using var input = torch.randn(5, 4);

        using var output = network.forward(input);

        output.shape.Should().Equal(5, 3);
    }

    [Fact]
    public void Forward_SingleVector_ReturnsOutputVector()
    {
        using var network = new MlpNetwork(4, [], 2, MlpActivation.Relu);
        using var input = torch.randn(4);

        using var output = network.forward(input);

        output.shape.Should().Equal(2);
    }

    [Fact]
    public void Constructor_Always_NamesParametersByLayerIndex()
    {
        using var network = new MlpNetwork(3, [5], 2);

        var names = network.named_parameters().Select(p => p.name).ToArray();

        names.Should().Equal("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias");
        network.HiddenSizes.Should().Equal(5);
        network.InputSize.Should().Be(3);
        network.OutputSize.Should().Be(2);
    }

    [Theory]
    [InlineData(MlpNetwork.DefaultHiddenGain)]
    [InlineData(1.0)]
    public void Constructor_SquareHiddenLayer_IsOrthogonalWithGain(double gain)
    {
        torch.random.manual_seed(7);
        using var network = new MlpNetwork(8, [8, 8], 2, hiddenGain: gain);
        using var weight = Parameter(network, "layers.2.weight").detach();

        using var product = weight.matmul(weight.t());
        using var expected = torch.eye(8).mul(gain * gain);

        product.allclose(expected, rtol: 0, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void Constructor_WideOutputLayer_HasOrthonormalRowsScaledByOutputGainAndZeroBias()
    {
        torch.random.manual_seed(11);
        using var network = new MlpNetwork(6, [32], 3, outputGain: 0.01);
        using var weight = Parameter(network, "layers.2.weight").detach();
        using var bias = Parameter(network, "layers.2.bias").detach();

        using var product = weight.matmul(weight.t());
        using var expected = torch.eye(3).mul(0.01 * 0.01);

        product.allclose(expected, rtol: 0, atol: 1e-7).Should().BeTrue();
        bias.abs().max().item<float>().Should().Be(0f);
    }

    [Fact]
    public void Forward_AdamSteps_ReduceRegressionLoss()
    {
        torch.random.manual_seed(42);
        using var network = new MlpNetwork(3, [32, 32], 1, MlpActivation.Tanh, outputGain: 1.0);
        using var inputs = torch.randn(128, 3);
        using var targets = inputs.sum(1, keepdim: true).sin();
        using var optimizer = torch.optim.Adam(network.parameters(), lr: 0.01);
        float initial = Loss(network, inputs, targets);

        for (int step = 0; step < 50; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(network.forward(inputs), targets);
            loss.backward();
            optimizer.step();
        }

        float final = Loss(network, inputs, targets);
        final.Should().BeLessThan(initial * 0.5f);
    }

    [Fact]
    public void Constructor_InvalidArguments_ThrowWithParameterName()
    {
        FluentActions.Invoking(() => new MlpNetwork(0, [4], 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputSize");
        FluentActions.Invoking(() => new MlpNetwork(3, null!, 2)).Should().Throw<ArgumentNullException>().WithParameterName("hiddenSizes");
        FluentActions.Invoking(() => new MlpNetwork(3, [4], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("outputSize");
        FluentActions.Invoking(() => new MlpNetwork(3, [4, -1], 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hiddenSizes");
        FluentActions.Invoking(() => new MlpNetwork(3, [4], 2, (MlpActivation)9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("activation");
        FluentActions.Invoking(() => new MlpNetwork(3, [4], 2, outputGain: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("outputGain");
        FluentActions.Invoking(() => new MlpNetwork(3, [4], 2, hiddenGain: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("hiddenGain");
    }

    [Fact]
    public void Forward_InvalidInput_ThrowsWithParameterName()
    {
        using var network = new MlpNetwork(3, [4], 2);
        using var wrong = torch.zeros(2, 5);

        FluentActions.Invoking(() => network.forward(null!)).Should().Throw<ArgumentNullException>().WithParameterName("input");
        FluentActions.Invoking(() => network.forward(wrong)).Should().Throw<ArgumentException>().WithParameterName("input");
    }

    private static TorchSharp.Modules.Parameter Parameter(MlpNetwork network, string name) =>
        network.named_parameters().Single(p => p.name == name).parameter;

    private static float Loss(MlpNetwork network, Tensor inputs, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return nn.functional.mse_loss(network.forward(inputs), targets).item<float>();
    }
}
