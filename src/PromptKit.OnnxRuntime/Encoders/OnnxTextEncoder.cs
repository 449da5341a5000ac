using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace PromptKit.OnnxRuntime;

/// <summary>A BERT-style sentence encoder served by ONNX Runtime: WordPiece tokenization, one model run per batch, mean or <c>[CLS]</c> pooling and optional L2 normalization.</summary>
/// <remarks>
/// <para>Each text is tokenized with <c>Microsoft.ML.Tokenizers</c>' <see cref="BertTokenizer"/> (basic tokenization that splits
/// punctuation, optional lower-casing with accent removal, greedy longest-match WordPiece with <c>##</c> continuations and
/// <c>[UNK]</c> for words that cannot be split), truncated to <see cref="OnnxTextEncoderOptions.MaxLength"/> - 2 word pieces
/// (a word may be cut between its pieces, as Hugging Face's <c>truncation=True</c> does), and wrapped in <c>[CLS]</c> … <c>[SEP]</c>.
/// A batch is padded with <c>[PAD]</c> to its longest text; the attention mask is 1 for real tokens and 0 for padding,
/// token type ids are all 0. Pooling and normalization match sentence-transformers' <c>Pooling(mean)</c> and
/// <c>Normalize()</c> modules: the mean over real tokens (<c>[CLS]</c> and <c>[SEP]</c> included), then
/// <c>v / max(‖v‖₂, 1e-12)</c>, so padding never changes an embedding.</para>
/// <para>The model takes int64 <c>input_ids</c>, <c>attention_mask</c> and optionally <c>token_type_ids</c>, each
/// [batch, sequence], and returns float <c>last_hidden_state</c> [batch, sequence, hidden] (names configurable); a model
/// exported with Hugging Face Optimum (<c>optimum-cli export onnx --task feature-extraction</c>) has this signature.</para>
/// <para>Thread-safe: one instance serves concurrent callers (ONNX Runtime sessions are thread-safe and every call uses its
/// own pooled buffers). Create one per model, share it, and dispose it once no call is running.</para>
/// </remarks>
public sealed partial class OnnxTextEncoder : IStateEncoder<string>, IDisposable
{
    // BertTokenizer's word-aware truncation never cuts a word, and a word has at most this many pieces
    // (BertOptions.MaxInputCharsPerWord), so asking for MaxLength - 2 + this many tokens always yields the full token-level prefix.
    private const int MaxPiecesPerWord = 100;

    private readonly OnnxSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly RunOptions _runOptions;
    private readonly string _modelPath;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _feedTokenTypes;
    private readonly int _maxTokens;
    private readonly int _batchSize;
    private readonly bool _normalize;
    private readonly OnnxTextEncoderPooling _pooling;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="OnnxTextEncoder"/> class: loads the vocabulary and the model, and checks the model's signature.</summary>
    /// <param name="options">The options; they are read once, here, so later changes have no effect.</param>
    /// <param name="logger">Where to log the execution provider and the model's shape, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> is invalid; the exception lists every error.</exception>
    /// <exception cref="ModelLoadException">The vocabulary or model file is missing or unreadable, or the model does not have the expected inputs and outputs (int64 [batch, sequence] inputs, a float [batch, sequence, hidden] output); the message names the file and the expected signature.</exception>
    /// <exception cref="OnnxProviderUnavailableException">CUDA was requested explicitly and is not available.</exception>
    public OnnxTextEncoder(OnnxTextEncoderOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxTextEncoderOptionsValidator.ThrowIfInvalid(options);
        logger ??= NullLogger.Instance;

        _modelPath = options.ModelPath!;
        _maxTokens = options.MaxLength - 2;
        _batchSize = options.BatchSize;
        _normalize = options.Normalize;
        _pooling = options.Pooling;
        MaxLength = options.MaxLength;
        _tokenizer = LoadTokenizer(options.VocabularyPath!, options.LowerCase);

        _session = OnnxSessionFactory.Create(_modelPath, options.Session, logger);
        try
        {
            InferenceSession session = _session.Session;
            string? tokenTypes = string.IsNullOrEmpty(options.TokenTypeIdsName) ? null : options.TokenTypeIdsName;
            _feedTokenTypes = tokenTypes is not null && session.InputMetadata.ContainsKey(tokenTypes);
            _inputNames = _feedTokenTypes
                ? [options.InputIdsName, options.AttentionMaskName, tokenTypes!]
                : [options.InputIdsName, options.AttentionMaskName];
            _outputNames = [options.OutputName];
            string expected = DescribeSignature(options);
            OnnxSessionFactory.EnsureSignature(session, [options.InputIdsName, options.AttentionMaskName], _outputNames, _modelPath);
            CheckInputs(session, expected);
            int hidden = CheckOutput(session, options.OutputName, expected);
            _runOptions = new RunOptions();
            Dimension = hidden > 0 ? hidden : ProbeDimension(expected);
        }
        catch
        {
            _runOptions?.Dispose();
            _session.Dispose();
            throw;
        }

        LogLoaded(logger, _modelPath, Dimension, MaxLength, _pooling, _normalize, _feedTokenTypes, _session.ExecutionProvider);
    }

    /// <summary>Gets the length of the embeddings: the model's hidden size.</summary>
    public int Dimension { get; }

    /// <summary>Gets the maximum number of tokens per text, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the name of the execution provider that runs the model, e.g. <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider => _session.ExecutionProvider;

    /// <summary>Encodes one text into a new array.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The embedding, of length <see cref="Dimension"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The encoder has been disposed.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime failed to run the model (e.g. the text is longer than the model's positions).</exception>
    public float[] Encode(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var embedding = new float[Dimension];
        Encode(text, embedding);
        return embedding;
    }

    /// <summary>Encodes one text into <paramref name="destination"/>.</summary>
    /// <param name="state">The text.</param>
    /// <param name="destination">The span to write the embedding into; its length must be <see cref="Dimension"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> is empty, or <paramref name="destination"/> does not have length <see cref="Dimension"/>.</exception>
    /// <exception cref="ObjectDisposedException">The encoder has been disposed.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime failed to run the model (e.g. the text is longer than the model's positions).</exception>
    public void Encode(string state, Span<float> destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"Destination length {destination.Length} does not match the encoder dimension {Dimension}.", nameof(destination));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        RunBatch(new SingleText(state), 0, 1, destination);
    }

    /// <summary>Encodes many texts, <see cref="OnnxTextEncoderOptions.BatchSize"/> per model run, into new arrays.</summary>
    /// <param name="texts">The texts.</param>
    /// <returns>One embedding of length <see cref="Dimension"/> per text, in input order; empty when <paramref name="texts"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is <see langword="null"/> or empty; the message names its index.</exception>
    /// <exception cref="ObjectDisposedException">The encoder has been disposed.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime failed to run the model (e.g. a text is longer than the model's positions).</exception>
    public float[][] EncodeBatch(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ValidateTexts(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int count = texts.Count;
        if ((long)count * Dimension > Array.MaxLength)
        {
            throw new ArgumentException($"{count} texts × {Dimension} values exceed the largest array; encode them in smaller groups.", nameof(texts));
        }

        var flat = new float[count * Dimension];
        EncodeBatchCore(texts, flat);
        var embeddings = new float[count][];
        for (int i = 0; i < count; i++)
        {
            embeddings[i] = flat.AsSpan(i * Dimension, Dimension).ToArray();
        }

        return embeddings;
    }

    /// <summary>Encodes many texts, <see cref="OnnxTextEncoderOptions.BatchSize"/> per model run, into one row-major span.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="destination">The span to write into: row <c>i</c> (<c>destination[(i * Dimension)..((i + 1) * Dimension)]</c>) receives the embedding of <c>texts[i]</c>; its length must be <c>texts.Count * Dimension</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is <see langword="null"/> or empty (the message names its index), or <paramref name="destination"/> does not have length <c>texts.Count * Dimension</c>.</exception>
    /// <exception cref="ObjectDisposedException">The encoder has been disposed.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime failed to run the model (e.g. a text is longer than the model's positions).</exception>
    /// <remarks>An empty <paramref name="texts"/> with an empty <paramref name="destination"/> writes nothing.</remarks>
    public void EncodeBatch(IReadOnlyList<string> texts, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ValidateTexts(texts);
        long expected = (long)texts.Count * Dimension;
        if (destination.Length != expected)
        {
            throw new ArgumentException(
                $"Destination length {destination.Length} does not match {texts.Count} texts x dimension {Dimension} = {expected}.", nameof(destination));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        EncodeBatchCore(texts, destination);
    }

    /// <summary>Disposes the ONNX Runtime session. Calls made after this throw <see cref="ObjectDisposedException"/>; calls still running must finish first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    private void EncodeBatchCore(IReadOnlyList<string> texts, Span<float> destination)
    {
        var source = new TextList(texts);
        for (int start = 0; start < texts.Count; start += _batchSize)
        {
            int count = Math.Min(_batchSize, texts.Count - start);
            RunBatch(source, start, count, destination.Slice(start * Dimension, count * Dimension));
        }
    }

    /// <summary>Returns the token ids the model receives for <paramref name="text"/>: <c>[CLS]</c>, the truncated word pieces, <c>[SEP]</c>.</summary>
    internal int[] GetTokenIds(string text)
    {
        IReadOnlyList<int> pieces = Tokenize(text);
        int n = Math.Min(pieces.Count, _maxTokens);
        var ids = new int[n + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (int i = 0; i < n; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[n + 1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    private static void ValidateTexts(IReadOnlyList<string> texts)
    {
        for (int i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
            {
                throw new ArgumentException($"The text at index {i} is {(texts[i] is null ? "null" : "empty")}; every text must be non-empty.", nameof(texts));
            }
        }
    }

    private static BertTokenizer LoadTokenizer(string vocabularyPath, bool lowerCase)
    {
        if (!File.Exists(vocabularyPath))
        {
            throw new ModelLoadException(
                $"The WordPiece vocabulary file '{vocabularyPath}' does not exist. Set {nameof(OnnxTextEncoderOptions)}.{nameof(OnnxTextEncoderOptions.VocabularyPath)} " +
                "to the model's vocab.txt (one token per line).",
                vocabularyPath);
        }

        try
        {
            return BertTokenizer.Create(vocabularyPath, new BertOptions { LowerCaseBeforeTokenization = lowerCase, RemoveNonSpacingMarks = lowerCase });
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(
                $"The WordPiece vocabulary file '{vocabularyPath}' cannot be used: {ex.Message} " +
                "A BERT vocab.txt has one token per line and contains [PAD], [UNK], [CLS], [SEP] and [MASK].",
                vocabularyPath,
                ex);
        }
    }

    private static string DescribeSignature(OnnxTextEncoderOptions options) =>
        $"inputs {options.InputIdsName}, {options.AttentionMaskName}" +
        (string.IsNullOrEmpty(options.TokenTypeIdsName) ? string.Empty : $" and optionally {options.TokenTypeIdsName}") +
        $" (int64 [batch, sequence]) and output {options.OutputName} (float [batch, sequence, hidden])";

    private void CheckInputs(InferenceSession session, string expected)
    {
        foreach (KeyValuePair<string, NodeMetadata> input in session.InputMetadata)
        {
            if (Array.IndexOf(_inputNames, input.Key) < 0)
            {
                throw new ModelLoadException(
                    $"The ONNX model '{_modelPath}' has an input '{input.Key}' that {nameof(OnnxTextEncoder)} does not feed. Expected {expected}; " +
                    $"the model has inputs [{string.Join(", ", session.InputMetadata.Keys)}]. Set the input names in {nameof(OnnxTextEncoderOptions)} to match the model.",
                    _modelPath);
            }

            NodeMetadata meta = input.Value;
            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Int64 || meta.Dimensions.Length != 2)
            {
                throw new ModelLoadException(
                    $"The ONNX model '{_modelPath}' input '{input.Key}' is {Describe(meta)}, not int64 [batch, sequence]. Expected {expected}.",
                    _modelPath);
            }
        }
    }

    private int CheckOutput(InferenceSession session, string outputName, string expected)
    {
        NodeMetadata meta = session.OutputMetadata[outputName];
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float || meta.Dimensions.Length != 3)
        {
            throw new ModelLoadException(
                $"The ONNX model '{_modelPath}' output '{outputName}' is {Describe(meta)}, not float [batch, sequence, hidden]. Expected {expected}.",
                _modelPath);
        }

        return meta.Dimensions[2];
    }

    private static string Describe(NodeMetadata meta)
    {
        if (!meta.IsTensor)
        {
            return $"a {meta.OnnxValueType}";
        }

        var dims = new string[meta.Dimensions.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            string symbolic = i < meta.SymbolicDimensions.Length ? meta.SymbolicDimensions[i] : string.Empty;
            dims[i] = meta.Dimensions[i] >= 0
                ? meta.Dimensions[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : string.IsNullOrEmpty(symbolic) ? "?" : symbolic;
        }

        return $"{meta.ElementDataType.ToString().ToLowerInvariant()} [{string.Join(", ", dims)}]";
    }

    // The output's hidden size is symbolic: run "[CLS] [SEP]" once and read it from the result's shape.
    private int ProbeDimension(string expected)
    {
        long[] ids = [_tokenizer.ClassificationTokenId, _tokenizer.SeparatorTokenId];
        long[] mask = [1, 1];
        long[] shape = [1, 2];
        var values = new OrtValue[_inputNames.Length];
        try
        {
            values[0] = OrtValue.CreateTensorValueFromMemory(ids, shape);
            values[1] = OrtValue.CreateTensorValueFromMemory(mask, shape);
            if (_feedTokenTypes)
            {
                values[2] = OrtValue.CreateTensorValueFromMemory(new long[2], shape);
            }

            using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Session.Run(_runOptions, _inputNames, values, _outputNames);
            long[] outShape = outputs[0].GetTensorTypeAndShape().Shape;
            if (outShape.Length != 3 || outShape[0] != 1 || outShape[1] != 2 || outShape[2] <= 0 || outShape[2] > int.MaxValue)
            {
                throw new ModelLoadException(
                    $"The ONNX model '{_modelPath}' returned shape [{string.Join(", ", outShape)}] for one text of 2 tokens; expected [1, 2, hidden]. Expected {expected}.",
                    _modelPath);
            }

            return (int)outShape[2];
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"The ONNX model '{_modelPath}' failed a test run on one text of 2 tokens: {ex.Message} Expected {expected}.", _modelPath, ex);
        }
        finally
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }
        }
    }

    private IReadOnlyList<int> Tokenize(string text) =>
        _tokenizer.EncodeToIds(text, _maxTokens + MaxPiecesPerWord, addSpecialTokens: false, out _, out _);

    private void RunBatch<TTexts>(TTexts texts, int start, int count, Span<float> destination)
        where TTexts : ITextSource
    {
        int dim = Dimension;
        IReadOnlyList<int>[] pieces = ArrayPool<IReadOnlyList<int>>.Shared.Rent(count);
        long[]? ids = null;
        long[]? mask = null;
        long[]? types = null;
        float[]? hidden = null;
        OrtValue[]? inputs = null;
        OrtValue? output = null;
        try
        {
            int seq = 0;
            for (int b = 0; b < count; b++)
            {
                pieces[b] = Tokenize(texts[start + b]);
                seq = Math.Max(seq, Math.Min(pieces[b].Count, _maxTokens));
            }

            seq += 2;
            int cells = count * seq;
            ids = ArrayPool<long>.Shared.Rent(cells);
            mask = ArrayPool<long>.Shared.Rent(cells);
            long pad = _tokenizer.PaddingTokenId;
            for (int b = 0; b < count; b++)
            {
                Span<long> idRow = ids.AsSpan(b * seq, seq);
                Span<long> maskRow = mask.AsSpan(b * seq, seq);
                IReadOnlyList<int> row = pieces[b];
                int n = Math.Min(row.Count, _maxTokens);
                idRow[0] = _tokenizer.ClassificationTokenId;
                for (int t = 0; t < n; t++)
                {
                    idRow[t + 1] = row[t];
                }

                idRow[n + 1] = _tokenizer.SeparatorTokenId;
                idRow[(n + 2)..].Fill(pad);
                maskRow[..(n + 2)].Fill(1);
                maskRow[(n + 2)..].Clear();
            }

            long[] shape = [count, seq];
            inputs = new OrtValue[_inputNames.Length];
            inputs[0] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, cells), shape);
            inputs[1] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, cells), shape);
            if (_feedTokenTypes)
            {
                types = ArrayPool<long>.Shared.Rent(cells);
                types.AsSpan(0, cells).Clear();
                inputs[2] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, types.AsMemory(0, cells), shape);
            }

            long hiddenCellCount = (long)cells * dim;
            if (hiddenCellCount > Array.MaxLength)
            {
                throw new InvalidOperationException(
                    $"One run would need {hiddenCellCount:N0} hidden-state values ({count} texts × {seq} tokens × {dim}), more than an array can hold. Lower BatchSize or MaxLength.");
            }

            int hiddenCells = (int)hiddenCellCount;
            hidden = ArrayPool<float>.Shared.Rent(hiddenCells);
            output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, hidden.AsMemory(0, hiddenCells), [count, seq, dim]);
            try
            {
                _session.Session.Run(_runOptions, _inputNames, inputs, _outputNames, [output]);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InvalidOperationException(
                    $"ONNX Runtime failed to run the encoder '{_modelPath}' on {count} text(s) padded to {seq} tokens: {ex.Message} " +
                    $"If the model has fewer positions than {nameof(OnnxTextEncoderOptions)}.{nameof(OnnxTextEncoderOptions.MaxLength)} ({MaxLength}), lower it.",
                    ex);
            }

            for (int b = 0; b < count; b++)
            {
                Pool(hidden.AsSpan(b * seq * dim, seq * dim), Math.Min(pieces[b].Count, _maxTokens) + 2, destination.Slice(b * dim, dim));
            }
        }
        finally
        {
            output?.Dispose();
            if (inputs is not null)
            {
                foreach (OrtValue? value in inputs)
                {
                    value?.Dispose();
                }
            }

            ArrayPool<IReadOnlyList<int>>.Shared.Return(pieces, clearArray: true);
            ReturnIfRented(ids);
            ReturnIfRented(mask);
            ReturnIfRented(types);
            if (hidden is not null)
            {
                ArrayPool<float>.Shared.Return(hidden);
            }
        }
    }

    private static void ReturnIfRented(long[]? array)
    {
        if (array is not null)
        {
            ArrayPool<long>.Shared.Return(array);
        }
    }

    // states: [sequence, dim] for one text; its first `tokens` rows are real tokens, the rest padding.
    private void Pool(ReadOnlySpan<float> states, int tokens, Span<float> destination)
    {
        int dim = destination.Length;
        if (_pooling == OnnxTextEncoderPooling.Cls)
        {
            states[..dim].CopyTo(destination);
        }
        else
        {
            states[..dim].CopyTo(destination);
            for (int t = 1; t < tokens; t++)
            {
                TensorPrimitives.Add(destination, states.Slice(t * dim, dim), destination);
            }

            TensorPrimitives.Divide(destination, tokens, destination);
        }

        if (_normalize)
        {
            float norm = TensorPrimitives.Norm(destination);
            TensorPrimitives.Divide(destination, MathF.Max(norm, 1e-12f), destination);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Text encoder {Model} loaded: dimension {Dimension}, max length {MaxLength}, pooling {Pooling}, normalize {Normalize}, token type ids {TokenTypes}, provider {Provider}.")]
    private static partial void LogLoaded(ILogger logger, string model, int dimension, int maxLength, OnnxTextEncoderPooling pooling, bool normalize, bool tokenTypes, string provider);

    private interface ITextSource
    {
        string this[int index] { get; }
    }

    private readonly struct SingleText(string text) : ITextSource
    {
        public string this[int index] => text;
    }

    private readonly struct TextList(IReadOnlyList<string> texts) : ITextSource
    {
        public string this[int index] => texts[index];
    }
}
