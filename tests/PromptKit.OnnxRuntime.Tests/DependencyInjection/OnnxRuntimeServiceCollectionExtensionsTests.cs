using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PromptKit.OnnxRuntime.Tests.Chat;
using PromptKit.OnnxRuntime.Tests.Encoders;
using PromptKit.OnnxRuntime.Tests.Export;

namespace PromptKit.OnnxRuntime.Tests.DependencyInjection;

public sealed class OnnxRuntimeServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _policyPath = Path.Combine(Path.GetTempPath(), $"promptkit-di-{Guid.NewGuid():N}.onnx");

    public OnnxRuntimeServiceCollectionExtensionsTests()
    {
        MlpPolicyWeights weights = ReferenceNetworks.RandomMlp(new Random(3), 4, [8, 3], DenseActivation.Relu);
        OnnxPolicyExporter.ExportToFile(weights, _policyPath);
    }

    public void Dispose() => File.Delete(_policyPath);

    [Fact]
    public void AddOnnxPolicy_ResolvesPolicyAsIDiscretePolicy()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxPolicy(_policyPath, o => o.Session.ExecutionProvider = OnnxExecutionProvider.Cpu);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        IDiscretePolicy policy = provider.GetRequiredService<IDiscretePolicy>();

        policy.Should().BeSameAs(provider.GetRequiredService<OnnxPolicy>());
        policy.ObservationSize.Should().Be(4);
        policy.ActionCount.Should().Be(3);
        policy.SelectAction([0.1f, 0.2f, 0.3f, 0.4f], ActionSelection.Greedy).Action.Should().BeInRange(0, 2);
    }

    [Fact]
    public void AddOnnxPolicy_InvalidOptions_FailOnResolve()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxPolicy(_policyPath, o =>
        {
            o.InputName = string.Empty;
            o.Session.IntraOpThreads = -1;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<OnnxPolicyOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("InputName", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("IntraOpThreads", StringComparison.Ordinal));
    }

    [Fact]
    public void AddOnnxTextEncoder_ResolvesEncoderAsStateEncoder()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxTextEncoder(o =>
        {
            o.ModelPath = EncoderTestModel.ModelPath;
            o.VocabularyPath = EncoderTestModel.VocabularyPath;
            o.Session.ExecutionProvider = OnnxExecutionProvider.Cpu;
        });
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        IStateEncoder<string> encoder = provider.GetRequiredService<IStateEncoder<string>>();
        float[] vector = new float[encoder.Dimension];
        encoder.Encode("the cat", vector);

        encoder.Should().BeSameAs(provider.GetRequiredService<OnnxTextEncoder>());
        Math.Sqrt(vector.Sum(v => (double)v * v)).Should().BeApproximately(1.0, 1e-5);
    }

    [Fact]
    public void AddOnnxTextEncoder_MissingPaths_FailOnResolve()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxTextEncoder(_ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<OnnxTextEncoderOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("ModelPath", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("VocabularyPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddOnnxChatClient_EvaluatorCallsLocalModel()
    {
        var services = new ServiceCollection();
        services.AddPromptKit(o => o.DefaultChatOptions = new ChatOptions { Temperature = 0f, MaxOutputTokens = 8 })
            .AddOnnxChatClient(o =>
            {
                OnnxChatClientOptions reference = LmTestModel.Options();
                o.ModelPath = reference.ModelPath;
                o.Tokenizer = reference.Tokenizer;
                o.MaxContextLength = reference.MaxContextLength;
                o.Session = reference.Session;
                o.EndOfSequenceTokenIds.Add(LmTestModel.EndOfText);
            });
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        PromptEvaluation result = await provider.GetRequiredService<PromptEvaluator>().EvaluateAsync(new PromptBuilder().AddUser("hi").Build());

        provider.GetRequiredService<IChatClient>().Should().BeSameAs(provider.GetRequiredService<OnnxChatClient>());
        result.Status.Should().BeOneOf(EvaluationStatus.Succeeded, EvaluationStatus.Empty);
        result.Response!.ModelId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void AddOnnxChatClient_MissingModel_FailsOnResolve()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxChatClient(o => o.MaxContextLength = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<OnnxChatClientOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        IPromptKitBuilder builder = new ServiceCollection().AddPromptKit();

        FluentActions.Invoking(() => ((IPromptKitBuilder)null!).AddOnnxPolicy("x")).Should().Throw<ArgumentNullException>().WithParameterName("builder");
        FluentActions.Invoking(() => builder.AddOnnxPolicy(null!)).Should().Throw<ArgumentNullException>().WithParameterName("modelPath");
        FluentActions.Invoking(() => builder.AddOnnxPolicy(" ")).Should().Throw<ArgumentException>().WithParameterName("modelPath");
        FluentActions.Invoking(() => builder.AddOnnxTextEncoder(null!)).Should().Throw<ArgumentNullException>().WithParameterName("configure");
        FluentActions.Invoking(() => builder.AddOnnxChatClient(null!)).Should().Throw<ArgumentNullException>().WithParameterName("configure");
    }
}

public sealed class OnnxRuntimeRegistrationTwiceTests
{
    [Fact]
    public void AddOnnxPolicy_Twice_Throws()
    {
        IPromptKitBuilder builder = new ServiceCollection().AddPromptKit().AddOnnxPolicy("a.onnx");

        Action act = () => builder.AddOnnxPolicy("b.onnx");

        act.Should().Throw<InvalidOperationException>().WithMessage("*OnnxPolicy is already registered*");
    }

    [Fact]
    public void OnnxSessionOptions_UndefinedProvider_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddOnnxPolicy("a.onnx", o => o.Session.ExecutionProvider = (OnnxExecutionProvider)7);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<OnnxPolicyOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*ExecutionProvider*");
    }
}
