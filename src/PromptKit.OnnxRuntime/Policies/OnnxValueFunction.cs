using Microsoft.Extensions.Logging;

namespace PromptKit.OnnxRuntime;

/// <summary>A core <see cref="IValueFunction"/> (a critic) served from an <c>.onnx</c> model with input <c>observation</c> [batch, n] and output <c>value</c> [batch, 1], such as <see cref="OnnxPolicyExporter.ExportValueFunction"/> writes.</summary>
/// <remarks>It runs on the same machinery as <see cref="OnnxPolicy"/> (pinned buffers, IO binding, batches, provider choice) and is thread-safe. Dispose it with its owner.</remarks>
public sealed class OnnxValueFunction : IValueFunction, IDisposable
{
    private readonly OnnxPolicy _model;

    /// <summary>Initializes a new instance of the <see cref="OnnxValueFunction"/> class from a model file.</summary>
    /// <param name="modelPath">The path of the <c>.onnx</c> critic.</param>
    /// <param name="options">Session options and names; <see langword="null"/> reads <c>observation</c> and writes <c>value</c>. When given, set <see cref="OnnxPolicyOptions.OutputName"/> to the value output (its default, <c>logits</c>, is an actor's).</param>
    /// <param name="logger">Where to log the execution provider choice, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty or white space.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> are invalid; every failure is listed.</exception>
    /// <exception cref="ModelLoadException">The file is missing, corrupt, or its output is not [batch, 1].</exception>
    public OnnxValueFunction(string modelPath, OnnxPolicyOptions? options = null, ILogger? logger = null)
    {
        _model = new OnnxPolicy(modelPath, WithValueOutput(options), logger);
        EnsureSingleValue(modelPath);
    }

    /// <summary>Initializes a new instance of the <see cref="OnnxValueFunction"/> class from a model in memory.</summary>
    /// <param name="model">The serialized ONNX critic.</param>
    /// <param name="options">Session options and names; <see langword="null"/> reads <c>observation</c> and writes <c>value</c>.</param>
    /// <param name="logger">Where to log the execution provider choice, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> are invalid; every failure is listed.</exception>
    /// <exception cref="ModelLoadException">The bytes are not a valid model, or its output is not [batch, 1].</exception>
    public OnnxValueFunction(byte[] model, OnnxPolicyOptions? options = null, ILogger? logger = null)
    {
        _model = new OnnxPolicy(model, WithValueOutput(options), logger);
        EnsureSingleValue(null);
    }

    /// <inheritdoc/>
    public int ObservationSize => _model.ObservationSize;

    /// <summary>Gets the name of the execution provider that runs the model.</summary>
    public string ExecutionProvider => _model.ExecutionProvider;

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The value function was disposed.</exception>
    public float Estimate(ReadOnlySpan<float> observation)
    {
        Span<float> value = stackalloc float[1];
        _model.ComputeLogits(observation, value);
        return value[0];
    }

    /// <summary>Estimates the values of many observations in one run.</summary>
    /// <param name="observations">The observations, row-major [<paramref name="batchSize"/> × <see cref="ObservationSize"/>].</param>
    /// <param name="batchSize">The number of observations.</param>
    /// <param name="values">The span to write one value per observation into.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The value function was disposed.</exception>
    public void Estimate(ReadOnlySpan<float> observations, int batchSize, Span<float> values) =>
        _model.ComputeLogits(observations, batchSize, values);

    /// <summary>Disposes the session.</summary>
    public void Dispose() => _model.Dispose();

    private static OnnxPolicyOptions WithValueOutput(OnnxPolicyOptions? options) =>
        options ?? new OnnxPolicyOptions { OutputName = "value" };

    private void EnsureSingleValue(string? modelPath)
    {
        if (_model.ActionCount == 1)
        {
            return;
        }

        string name = _model.ModelName;
        int outputs = _model.ActionCount;
        _model.Dispose();
        string message = $"The ONNX model '{name}' is not a value function: its output has {outputs} values per observation, expected [batch, 1].";
        throw modelPath is null ? new ModelLoadException(message) : new ModelLoadException(message, modelPath);
    }
}
