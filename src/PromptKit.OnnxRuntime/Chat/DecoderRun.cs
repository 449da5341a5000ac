using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace PromptKit.OnnxRuntime;

/// <summary>One generation's model state: the token ids so far, the KV cache (the previous step's <c>present</c> outputs) and the last logits.</summary>
/// <remarks>
/// With a cache, the prompt is fed once (prefill) and every later step feeds one token with the previous presents as the
/// past; without one, every step feeds the whole sequence. Inputs are views over per-run buffers (no copy); the presents
/// are passed back to ONNX Runtime as they are. Not thread-safe: one run per request. Cancellation sets
/// <see cref="RunOptions.Terminate"/>, so a long model run stops early, and surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class DecoderRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly DecoderSignature _signature;
    private readonly CancellationToken _cancellationToken;
    private readonly RunOptions _runOptions = new();
    private readonly CancellationTokenRegistration _registration;
    private readonly long[] _ids;
    private readonly long[] _ones;
    private readonly long[] _positions;
    private readonly OrtValue[] _inputs;
    private OrtValue[]? _past;
    private int _length;
    private int _pastLength;
    private float[] _logits = [];

    public DecoderRun(InferenceSession session, DecoderSignature signature, int capacity, CancellationToken cancellationToken)
    {
        _session = session;
        _signature = signature;
        _cancellationToken = cancellationToken;
        _ids = new long[capacity];
        _ones = new long[capacity];
        Array.Fill(_ones, 1L);
        _positions = new long[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _positions[i] = i;
        }

        _inputs = new OrtValue[signature.InputNames.Length];
        _registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, _runOptions);
    }

    /// <summary>Gets the logits for the next token (valid after <see cref="Prefill"/> or <see cref="Append"/>).</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>Gets the number of token ids in the sequence.</summary>
    public int Length => _length;

    /// <summary>Feeds the prompt and computes the logits for the first generated token.</summary>
    public void Prefill(IReadOnlyList<int> promptIds)
    {
        for (int i = 0; i < promptIds.Count; i++)
        {
            _ids[i] = promptIds[i];
        }

        _length = promptIds.Count;
        Run();
    }

    /// <summary>Appends a generated token and computes the logits for the next one.</summary>
    public void Append(int tokenId)
    {
        _ids[_length++] = tokenId;
        Run();
    }

    public void Dispose()
    {
        _registration.Dispose();
        DisposePast();
        _runOptions.Dispose();
    }

    private void Run()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        int start = _signature.HasCache ? _pastLength : 0;
        int fed = _length - start;
        int created = 0;
        int firstPast = _inputs.Length - (2 * _signature.LayerCount);
        var memoryInfo = OrtMemoryInfo.DefaultInstance;
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            _inputs[created++] = OrtValue.CreateTensorValueFromMemory(memoryInfo, _ids.AsMemory(start, fed), [1, fed]);
            _inputs[created++] = OrtValue.CreateTensorValueFromMemory(memoryInfo, _ones.AsMemory(0, _length), [1, _length]);
            if (_signature.HasPositionIds)
            {
                _inputs[created++] = OrtValue.CreateTensorValueFromMemory(memoryInfo, _positions.AsMemory(start, fed), [1, fed]);
            }

            if (_signature.HasUseCacheBranch)
            {
                _inputs[created++] = OrtValue.CreateTensorValueFromMemory(new[] { _pastLength > 0 }, [1]);
            }

            for (int i = 0; i < 2 * _signature.LayerCount; i++)
            {
                // The first step has an empty cache: [1, heads, 0, head size].
                _inputs[created++] = _past is null
                    ? OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, _signature.HeadCount, 0, _signature.HeadSize])
                    : _past[i];
            }

            outputs = _session.Run(_runOptions, _signature.InputNames, _inputs, _signature.OutputNames);
        }
        catch (OnnxRuntimeException ex) when (_cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Generation was canceled while the model was running.", ex, _cancellationToken);
        }
        finally
        {
            // Dispose what this step created; past values that are the previous presents are disposed below.
            for (int i = 0; i < created; i++)
            {
                if (_past is null || i < firstPast)
                {
                    _inputs[i].Dispose();
                }
            }

            Array.Clear(_inputs);
        }

        try
        {
            CopyLastLogits(outputs[0], fed);
        }
        catch
        {
            outputs.Dispose();
            throw;
        }

        outputs[0].Dispose();
        OrtValue[]? presents = null;
        if (_signature.HasCache)
        {
            presents = new OrtValue[2 * _signature.LayerCount];
            for (int i = 0; i < presents.Length; i++)
            {
                presents[i] = outputs[i + 1];
            }
        }

        DisposePast();
        _past = presents;
        _pastLength = _length;
    }

    private void CopyLastLogits(OrtValue logits, int fed)
    {
        long[] shape = logits.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != 1 || shape[1] != fed || shape[2] <= 0)
        {
            throw new InvalidOperationException(
                $"The model returned logits of shape [{string.Join(", ", shape)}] for {fed} input token(s); expected [1, {fed}, vocabulary].");
        }

        int vocabulary = checked((int)shape[2]);
        if (_logits.Length != vocabulary)
        {
            _logits = new float[vocabulary];
        }

        logits.GetTensorDataAsSpan<float>().Slice((fed - 1) * vocabulary, vocabulary).CopyTo(_logits);
    }

    private void DisposePast()
    {
        if (_past is null)
        {
            return;
        }

        foreach (OrtValue value in _past)
        {
            value.Dispose();
        }

        _past = null;
    }
}
