using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime.Tests.Sessions;

public sealed class OnnxSessionFactoryTests
{
    private static readonly bool CudaListed = OrtEnv.Instance().GetAvailableProviders().Contains(OnnxSessionFactory.CudaProviderName);

    private static byte[] TinyModel() =>
        OnnxPolicyExporter.Export(new MlpPolicyWeightsBuilder(2).AddLayer(2, [1, 0, 0, 1], [0, 0]).Build());

    [Fact]
    public void Create_CpuRequested_RunsOnCpuAndLogsWhy()
    {
        var logger = new ListLogger();

        using OnnxSession session = OnnxSessionFactory.Create(TinyModel(), new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu }, logger);

        session.ExecutionProvider.Should().Be(OnnxSessionFactory.CpuProviderName);
        logger.Messages.Should().ContainSingle().Which.Should().Contain("CPUExecutionProvider").And.Contain("options ask for the CPU");
    }

    [Fact]
    public void Create_Auto_UsesCudaOnlyWhenListedElseFallsBackToCpuWithReason()
    {
        var logger = new ListLogger();

        using OnnxSession session = OnnxSessionFactory.Create(TinyModel(), new OnnxSessionOptions(), logger);

        if (CudaListed)
        {
            session.ExecutionProvider.Should().Be(OnnxSessionFactory.CudaProviderName);
        }
        else
        {
            session.ExecutionProvider.Should().Be(OnnxSessionFactory.CpuProviderName);
            logger.Messages.Should().ContainSingle().Which.Should().Contain("CUDAExecutionProvider is not among the available providers").And.Contain("CPUExecutionProvider");
        }
    }

    [SkippableFact]
    public void Create_CudaRequestedButUnavailable_ThrowsProviderUnavailableWithFix()
    {
        Skip.If(CudaListed, "The CUDA execution provider is available here, so there is no missing provider to report.");

        Action act = () => OnnxSessionFactory.Create(TinyModel(), new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda });

        act.Should().Throw<OnnxProviderUnavailableException>()
            .WithMessage("*CUDA was requested*Microsoft.ML.OnnxRuntime.Gpu*Auto*");
    }

    [Fact]
    public void Create_MissingFile_ThrowsModelLoadExceptionNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        Action act = () => OnnxSessionFactory.Create(path);

        act.Should().Throw<ModelLoadException>().WithMessage($"*{path}*does not exist*").Which.ModelPath.Should().Be(path);
    }

    [Fact]
    public void Create_CorruptFile_ThrowsModelLoadExceptionNamingFileWithInner()
    {
        string path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf model");
        try
        {
            Action act = () => OnnxSessionFactory.Create(path);

            ModelLoadException ex = act.Should().Throw<ModelLoadException>().WithMessage($"*{path}*").Which;
            ex.ModelPath.Should().Be(path);
            ex.InnerException.Should().BeOfType<OnnxRuntimeException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_CorruptBytes_ThrowsModelLoadException()
    {
        Action act = () => OnnxSessionFactory.Create([1, 2, 3, 4, 5]);

        act.Should().Throw<ModelLoadException>().WithMessage("*(in-memory model)*");
    }

    [Fact]
    public void Create_NullOrBlankArguments_ThrowWithParamNames()
    {
        ((Action)(() => OnnxSessionFactory.Create((string)null!))).Should().Throw<ArgumentNullException>().WithParameterName("modelPath");
        ((Action)(() => OnnxSessionFactory.Create(" "))).Should().Throw<ArgumentException>().WithParameterName("modelPath");
        ((Action)(() => OnnxSessionFactory.Create((byte[])null!))).Should().Throw<ArgumentNullException>().WithParameterName("model");
    }

    [Fact]
    public void EnsureSignature_MissingNames_ThrowsListingExpectedActualAndMissing()
    {
        using OnnxSession session = OnnxSessionFactory.Create(TinyModel());

        Action act = () => OnnxSessionFactory.EnsureSignature(session.Session, ["observation", "mask"], ["logits", "value"], "actor.onnx");

        ModelLoadException ex = act.Should().Throw<ModelLoadException>().Which;
        ex.Message.Should().Contain("'actor.onnx'")
            .And.Contain("Expected inputs [observation, mask] and outputs [logits, value]")
            .And.Contain("the model has inputs [observation] and outputs [logits, probabilities]")
            .And.Contain("Missing: [mask, value]");
        ex.ModelPath.Should().Be("actor.onnx");
    }

    [Fact]
    public void EnsureSignature_AllPresent_DoesNotThrow()
    {
        using OnnxSession session = OnnxSessionFactory.Create(TinyModel());

        Action act = () => OnnxSessionFactory.EnsureSignature(session.Session, ["observation"], ["logits", "probabilities"], "actor.onnx");

        act.Should().NotThrow();
    }

    [Fact]
    public void EnsureSignature_NullArguments_ThrowWithParamNames()
    {
        using OnnxSession session = OnnxSessionFactory.Create(TinyModel());

        ((Action)(() => OnnxSessionFactory.EnsureSignature(null!, [], [], "m"))).Should().Throw<ArgumentNullException>().WithParameterName("session");
        ((Action)(() => OnnxSessionFactory.EnsureSignature(session.Session, null!, [], "m"))).Should().Throw<ArgumentNullException>().WithParameterName("expectedInputs");
        ((Action)(() => OnnxSessionFactory.EnsureSignature(session.Session, [], null!, "m"))).Should().Throw<ArgumentNullException>().WithParameterName("expectedOutputs");
        ((Action)(() => OnnxSessionFactory.EnsureSignature(session.Session, [], [], null!))).Should().Throw<ArgumentNullException>().WithParameterName("modelName");
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
