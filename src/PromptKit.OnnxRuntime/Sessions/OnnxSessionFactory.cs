using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime;

/// <summary>Creates ONNX Runtime sessions with the execution provider PromptKit's options ask for, and checks model signatures.</summary>
/// <remarks>
/// <para><see cref="OnnxExecutionProvider.Auto"/> asks ONNX Runtime which providers this process has
/// (<c>OrtEnv.Instance().GetAvailableProviders()</c>): CUDA when <c>CUDAExecutionProvider</c> is listed and appending it
/// succeeds, else CPU. The choice and the reason are logged at Information. With the CPU-only
/// <c>Microsoft.ML.OnnxRuntime</c> package, appending CUDA throws <see cref="EntryPointNotFoundException"/> (not an
/// <see cref="OnnxRuntimeException"/>); both are handled. To run on a GPU, reference <c>Microsoft.ML.OnnxRuntime.Gpu</c>
/// (Windows/Linux) or <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c> instead of the CPU package, with a matching CUDA and cuDNN.</para>
/// <para>A session is expensive: create one per model, share it (sessions are thread-safe for <c>Run</c>) and dispose it
/// with its owner.</para>
/// </remarks>
public static partial class OnnxSessionFactory
{
    /// <summary>The name ONNX Runtime gives the CUDA execution provider.</summary>
    public const string CudaProviderName = "CUDAExecutionProvider";

    /// <summary>The name ONNX Runtime gives the CPU execution provider.</summary>
    public const string CpuProviderName = "CPUExecutionProvider";

    /// <summary>Creates a session for a model file.</summary>
    /// <param name="modelPath">The path of the <c>.onnx</c> file.</param>
    /// <param name="options">The session options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the provider choice, or <see langword="null"/>.</param>
    /// <returns>The session and the provider that runs it. The caller owns (disposes) the session.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty or white space.</exception>
    /// <exception cref="OnnxProviderUnavailableException">CUDA was requested explicitly and is not available.</exception>
    /// <exception cref="ModelLoadException">The file is missing or is not a valid ONNX model.</exception>
    public static OnnxSession Create(string modelPath, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"The ONNX model file '{modelPath}' does not exist.", modelPath);
        }

        return CreateCore(modelPath, options, logger, static (path, so) => new InferenceSession(path, so));
    }

    /// <summary>Creates a session for a model held in memory (e.g. one just written by an exporter).</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="options">The session options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log the provider choice, or <see langword="null"/>.</param>
    /// <returns>The session and the provider that runs it. The caller owns (disposes) the session.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="OnnxProviderUnavailableException">CUDA was requested explicitly and is not available.</exception>
    /// <exception cref="ModelLoadException">The bytes are not a valid ONNX model.</exception>
    public static OnnxSession Create(byte[] model, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CreateCore(model, options, logger, static (bytes, so) => new InferenceSession(bytes, so));
    }

    /// <summary>Checks that a session has the named inputs and outputs, and throws an exception naming the file and both lists when it does not.</summary>
    /// <param name="session">The session.</param>
    /// <param name="expectedInputs">Input names that must exist.</param>
    /// <param name="expectedOutputs">Output names that must exist.</param>
    /// <param name="modelName">The file path (recorded as <see cref="ModelLoadException.ModelPath"/>), or a name for an in-memory model.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ModelLoadException">A name is missing.</exception>
    public static void EnsureSignature(InferenceSession session, IReadOnlyCollection<string> expectedInputs, IReadOnlyCollection<string> expectedOutputs, string modelName)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(expectedInputs);
        ArgumentNullException.ThrowIfNull(expectedOutputs);
        ArgumentNullException.ThrowIfNull(modelName);
        var missingInputs = expectedInputs.Where(n => !session.InputMetadata.ContainsKey(n)).ToList();
        var missingOutputs = expectedOutputs.Where(n => !session.OutputMetadata.ContainsKey(n)).ToList();
        if (missingInputs.Count == 0 && missingOutputs.Count == 0)
        {
            return;
        }

        string message =
            $"The ONNX model '{modelName}' does not have the expected signature. " +
            $"Expected inputs [{string.Join(", ", expectedInputs)}] and outputs [{string.Join(", ", expectedOutputs)}]; " +
            $"the model has inputs [{string.Join(", ", session.InputMetadata.Keys)}] and outputs [{string.Join(", ", session.OutputMetadata.Keys)}]. " +
            $"Missing: [{string.Join(", ", missingInputs.Concat(missingOutputs))}].";
        throw new ModelLoadException(message, modelName);
    }

    private static OnnxSession CreateCore<TModel>(TModel model, OnnxSessionOptions? options, ILogger? logger, Func<TModel, SessionOptions, InferenceSession> create)
    {
        options ??= new OnnxSessionOptions();
        OnnxSessionOptionsValidator.ThrowIfInvalid(options);
        logger ??= NullLogger.Instance;
        string modelName = model as string ?? "(in-memory model)";
        string[] available = OrtEnv.Instance().GetAvailableProviders();
        bool cudaListed = Array.IndexOf(available, CudaProviderName) >= 0;

        if (options.ExecutionProvider == OnnxExecutionProvider.Cuda && !cudaListed)
        {
            throw new OnnxProviderUnavailableException(
                $"CUDA was requested for '{modelName}', but this ONNX Runtime has only [{string.Join(", ", available)}]. " +
                "Reference Microsoft.ML.OnnxRuntime.Gpu (or .Gpu.Linux) instead of Microsoft.ML.OnnxRuntime, install a matching CUDA and cuDNN, " +
                $"or use {nameof(OnnxExecutionProvider)}.{nameof(OnnxExecutionProvider.Auto)} to fall back to the CPU.");
        }

        SessionOptions sessionOptions = NewSessionOptions(options);
        string provider = CpuProviderName;
        string reason;
        if (options.ExecutionProvider == OnnxExecutionProvider.Cpu)
        {
            reason = "the options ask for the CPU";
        }
        else if (!cudaListed)
        {
            reason = $"{CudaProviderName} is not among the available providers [{string.Join(", ", available)}]";
        }
        else
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
                provider = CudaProviderName;
                reason = $"{CudaProviderName} is available (device {options.DeviceId})";
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or OnnxRuntimeException or DllNotFoundException)
            {
                if (options.ExecutionProvider == OnnxExecutionProvider.Cuda)
                {
                    sessionOptions.Dispose();
                    throw new OnnxProviderUnavailableException(
                        $"CUDA was requested for '{modelName}' but could not be enabled on device {options.DeviceId}: {ex.Message}", ex);
                }

                sessionOptions.Dispose();
                sessionOptions = NewSessionOptions(options);
                reason = $"appending {CudaProviderName} failed ({ex.GetType().Name}: {ex.Message})";
            }
        }

        try
        {
            InferenceSession session;
            try
            {
                session = create(model, sessionOptions);
            }
            catch (OnnxRuntimeException ex) when (provider == CudaProviderName && options.ExecutionProvider == OnnxExecutionProvider.Auto)
            {
                // CUDA or cuDNN version mismatches often surface only when the session is created: Auto falls back.
                sessionOptions.Dispose();
                sessionOptions = NewSessionOptions(options);
                provider = CpuProviderName;
                reason = $"creating the session with {CudaProviderName} failed ({ex.Message})";
                session = create(model, sessionOptions);
            }

            LogProvider(logger, modelName, provider, reason);
            return new OnnxSession(session, sessionOptions, provider);
        }
        catch (OnnxRuntimeException ex)
        {
            sessionOptions.Dispose();
            string message = $"ONNX Runtime could not load the model '{modelName}': {ex.Message}";
            throw model is string path ? new ModelLoadException(message, path, ex) : new ModelLoadException(message, ex);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static SessionOptions NewSessionOptions(OnnxSessionOptions options)
    {
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = options.OptimizationLevel };
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        if (options.InterOpThreads > 0)
        {
            sessionOptions.InterOpNumThreads = options.InterOpThreads;
        }

        return sessionOptions;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "ONNX model {Model} runs on {Provider}: {Reason}.")]
    private static partial void LogProvider(ILogger logger, string model, string provider, string reason);
}
