using System.Numerics.Tensors;
using Microsoft.Extensions.Options;

namespace PromptKit.OnnxRuntime.Tests.Encoders;

public sealed class OnnxTextEncoderTests
{
    private const double Tolerance = 1e-5;

    private static readonly string[] Words =
        ["the", "user", "likes", "playing", "games", "she", "played", "jazz", "music", "readers", "enjoy", "a", "new", "movie", "quickly", "coffee", "city", "night", "!", ",", "."];

    public static TheoryData<OnnxTextEncoderPooling, bool> PoolingModes => new()
    {
        { OnnxTextEncoderPooling.Mean, true },
        { OnnxTextEncoderPooling.Mean, false },
        { OnnxTextEncoderPooling.Cls, true },
        { OnnxTextEncoderPooling.Cls, false },
    };

    public static IEnumerable<object[]> CaseNames => EncoderTestModel.CaseNames();

    [Fact]
    public void Constructor_TinyModel_ReadsDimensionAndProvider()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        encoder.Dimension.Should().Be(EncoderTestModel.Reference.HiddenSize);
        encoder.MaxLength.Should().Be(256);
        encoder.ExecutionProvider.Should().Be(OnnxSessionFactory.CpuProviderName);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GetTokenIds_ReferenceCase_MatchesPythonWordPiece(string name)
    {
        EncoderCase c = EncoderTestModel.Case(name);
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.MaxLength = c.MaxLength));

        int[] ids = encoder.GetTokenIds(c.Text);

        ids.Should().Equal(c.Ids, "the tokens are [{0}]", string.Join(" ", c.Tokens));
    }

    [Fact]
    public void GetTokenIds_LowerCaseOff_KeepsCaseAndMapsUnknownWordsToUnk()
    {
        EncoderCase c = EncoderTestModel.Case("upper_case");
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.LowerCase = false));

        int[] ids = encoder.GetTokenIds(c.Text);

        // "Hello" and "World" are not in the lower-case vocabulary: [CLS] [UNK] [UNK] ! [SEP]
        ids.Should().Equal(c.Ids[0], 1, 1, c.Ids[3], c.Ids[4]);
    }

    [Theory]
    [MemberData(nameof(PoolingModes))]
    public void Encode_EveryReferenceCase_MatchesNumpyWithin1e5(OnnxTextEncoderPooling pooling, bool normalize)
    {
        foreach (IGrouping<int, EncoderCase> group in EncoderTestModel.Reference.Cases.GroupBy(c => c.MaxLength))
        {
            using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o =>
            {
                o.MaxLength = group.Key;
                o.Pooling = pooling;
                o.Normalize = normalize;
            }));

            foreach (EncoderCase c in group)
            {
                float[] embedding = encoder.Encode(c.Text);

                ShouldMatch(embedding, c.Expected(pooling, normalize), c.Name);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void EncodeBatch_ReferenceCasesPaddedTogether_MatchEachSentenceAlone(int batchSize)
    {
        EncoderCase[] cases = EncoderTestModel.Reference.Cases.Where(c => c.MaxLength == 256).ToArray();
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.BatchSize = batchSize));

        float[][] embeddings = encoder.EncodeBatch(cases.Select(c => c.Text).ToArray());

        embeddings.Should().HaveCount(cases.Length);
        for (int i = 0; i < cases.Length; i++)
        {
            ShouldMatch(embeddings[i], cases[i].MeanL2, cases[i].Name);
        }
    }

    [Fact]
    public void EncodeBatch_ShortTextAloneOrBesideLongerTexts_SameEmbedding()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.Normalize = false));
        string shortText = "music";
        string[] batch = [EncoderTestModel.Case("long").Text, shortText, "the user likes playing games and she played jazz"];

        float[] alone = encoder.Encode(shortText);
        float[][] together = encoder.EncodeBatch(batch);

        together[1].Should().Equal(alone, (a, b) => Math.Abs(a - b) <= 1e-6f, "padding tokens are masked out of attention and pooling");
    }

    [Fact]
    public void EncodeBatch_SpanDestination_WritesRowsInInputOrder()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.BatchSize = 2));
        string[] texts = ["music", "hello world", "the user likes playing games.", "she played jazz"];
        var destination = new float[texts.Length * encoder.Dimension];

        encoder.EncodeBatch(texts, destination);

        for (int i = 0; i < texts.Length; i++)
        {
            destination.AsSpan(i * encoder.Dimension, encoder.Dimension).ToArray()
                .Should().Equal(encoder.Encode(texts[i]), (a, b) => Math.Abs(a - b) <= 1e-6f, "row {0} is '{1}'", i, texts[i]);
        }
    }

    [Fact]
    public void EncodeBatch_Empty_ReturnsEmpty()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        float[][] embeddings = encoder.EncodeBatch([]);

        embeddings.Should().BeEmpty();
    }

    [Fact]
    public void GetTokenIds_TextFarLongerThanMaxLength_TruncatesToMaxLength()
    {
        var random = new Random(7);
        string text = string.Join(" ", Enumerable.Range(0, 1000).Select(_ => Words[random.Next(Words.Length)]));
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.MaxLength = 16));
        using var untruncated = new OnnxTextEncoder(EncoderTestModel.Options(o => o.MaxLength = 4096));

        int[] ids = encoder.GetTokenIds(text);
        int[] all = untruncated.GetTokenIds(text);

        ids.Should().HaveCount(16);
        ids[..15].Should().Equal(all[..15], "truncation keeps the first MaxLength - 2 word pieces after [CLS]");
        ids[15].Should().Be(all[^1], "[SEP] closes the truncated text");
    }

    [Fact]
    public void Encode_TextFarLongerThanMaxLength_EqualsEncodingOfItsFirstPieces()
    {
        // 30 words of one piece each; MaxLength 12 keeps [CLS] + the first 10 words + [SEP].
        var random = new Random(11);
        string[] single = ["the", "user", "likes", "games", "jazz", "music", "a", "new", "movie", "coffee", "city", "night"];
        string[] words = Enumerable.Range(0, 30).Select(_ => single[random.Next(single.Length)]).ToArray();
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.MaxLength = 12));

        float[] truncated = encoder.Encode(string.Join(" ", words));
        float[] prefix = encoder.Encode(string.Join(" ", words[..10]));

        truncated.Should().Equal(prefix, (a, b) => Math.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public void Encode_TextLongerThanModelPositions_ThrowsInvalidOperationNamingMaxLength()
    {
        string text = string.Join(" ", Enumerable.Repeat("music", EncoderTestModel.Reference.MaxPositions + 10));
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action act = () => encoder.Encode(text);

        act.Should().Throw<InvalidOperationException>().WithMessage("*MaxLength (256)*").WithInnerException<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>();
    }

    [Fact]
    public void Encode_RandomTexts_HaveUnitNorm()
    {
        var random = new Random(42);
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());
        var destination = new float[encoder.Dimension];

        for (int i = 0; i < 50; i++)
        {
            string text = string.Join(" ", Enumerable.Range(0, random.Next(1, 40)).Select(_ => Words[random.Next(Words.Length)]));
            encoder.Encode(text, destination);

            TensorPrimitives.Norm(destination).Should().BeApproximately(1f, 1e-5f, "'{0}' is L2-normalized", text);
        }
    }

    [Fact]
    public void Encode_ModelWithoutTokenTypesAndSymbolicHiddenSize_ProbesDimensionAndMatchesReference()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.ModelPath = EncoderTestModel.NoTokenTypesModelPath));

        float[][] embeddings = encoder.EncodeBatch(EncoderTestModel.Reference.Cases.Where(c => c.MaxLength == 256).Select(c => c.Text).ToArray());

        encoder.Dimension.Should().Be(EncoderTestModel.Reference.HiddenSize);
        ShouldMatch(embeddings[0], EncoderTestModel.Reference.Cases[0].MeanL2, EncoderTestModel.Reference.Cases[0].Name);
    }

    [Fact]
    public void Encode_AsStateEncoder_WritesDestination()
    {
        EncoderCase c = EncoderTestModel.Case("simple");
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        float[] embedding = EncodeAsState(encoder, c.Text);

        ShouldMatch(embedding, c.MeanL2, c.Name);
    }

    [Fact]
    public void Encode_ConcurrentCallers_SameResultsAsSequential()
    {
        var random = new Random(3);
        string[] texts = Enumerable.Range(0, 64)
            .Select(_ => string.Join(" ", Enumerable.Range(0, random.Next(1, 30)).Select(_ => Words[random.Next(Words.Length)])))
            .ToArray();
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options(o => o.BatchSize = 5));
        float[][] sequential = texts.Select(encoder.Encode).ToArray();
        var concurrent = new float[texts.Length][];
        var batches = new float[8][][];

        Parallel.For(0, texts.Length + batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i < texts.Length)
            {
                concurrent[i] = encoder.Encode(texts[i]);
            }
            else
            {
                batches[i - texts.Length] = encoder.EncodeBatch(texts);
            }
        });

        for (int i = 0; i < texts.Length; i++)
        {
            concurrent[i].Should().Equal(sequential[i], "text {0} encoded alone", i);
            foreach (float[][] batch in batches)
            {
                batch[i].Should().Equal(sequential[i], (a, b) => Math.Abs(a - b) <= 1e-6f, "text {0} encoded in a batch", i);
            }
        }
    }

    [Fact]
    public void Dispose_ThenEncode_ThrowsObjectDisposed()
    {
        var encoder = new OnnxTextEncoder(EncoderTestModel.Options());
        encoder.Dispose();

        Action encode = () => encoder.Encode("music");
        Action encodeSpan = () => encoder.Encode("music", new float[encoder.Dimension]);
        Action batch = () => encoder.EncodeBatch(["music"]);
        Action batchSpan = () => encoder.EncodeBatch(["music"], new float[encoder.Dimension]);
        Action disposeAgain = encoder.Dispose;

        encode.Should().Throw<ObjectDisposedException>();
        encodeSpan.Should().Throw<ObjectDisposedException>();
        batch.Should().Throw<ObjectDisposedException>();
        batchSpan.Should().Throw<ObjectDisposedException>();
        disposeAgain.Should().NotThrow();
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsWithParamName()
    {
        Action act = () => _ = new OnnxTextEncoder(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        OnnxTextEncoderOptions options = EncoderTestModel.Options(o =>
        {
            o.ModelPath = " ";
            o.VocabularyPath = null;
            o.MaxLength = 2;
            o.BatchSize = 0;
            o.OutputName = "";
            o.Pooling = (OnnxTextEncoderPooling)7;
            o.Session.IntraOpThreads = -1;
        });

        Action act = () => _ = new OnnxTextEncoder(options);

        OptionsValidationException ex = act.Should().Throw<OptionsValidationException>().Which;
        ex.Failures.Should().HaveCount(7);
        ex.Message.Should().ContainAll("ModelPath", "VocabularyPath", "MaxLength", "BatchSize", "OutputName", "Pooling", "IntraOpThreads");
    }

    [Fact]
    public void Constructor_RepeatedInputNames_ListsBothErrors()
    {
        OnnxTextEncoderOptions options = EncoderTestModel.Options(o =>
        {
            o.AttentionMaskName = "input_ids";
            o.TokenTypeIdsName = "input_ids";
        });

        Action act = () => _ = new OnnxTextEncoder(options);

        OptionsValidationException ex = act.Should().Throw<OptionsValidationException>().Which;
        ex.Failures.Should().HaveCount(2);
        ex.Message.Should().ContainAll("AttentionMaskName", "TokenTypeIdsName");
    }

    [Fact]
    public void Constructor_MissingModel_ThrowsModelLoadNamingFile()
    {
        string path = Path.Combine(EncoderTestModel.Directory, "no_such_model.onnx");

        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.ModelPath = path));

        act.Should().Throw<ModelLoadException>().Where(e => e.ModelPath == path).WithMessage($"*{path}*");
    }

    [Fact]
    public void Constructor_CorruptModel_ThrowsModelLoadNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x08, 0x07, 0xFF, 0xFF, 0x12, 0x34, 0x00, 0x42]);
        try
        {
            Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.ModelPath = path));

            act.Should().Throw<ModelLoadException>().Where(e => e.ModelPath == path).WithMessage($"*{path}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_OutputNameNotInModel_ThrowsModelLoadListingSignature()
    {
        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.OutputName = "sentence_embedding"));

        act.Should().Throw<ModelLoadException>()
            .WithMessage($"*{EncoderTestModel.ModelPath}*sentence_embedding*last_hidden_state*");
    }

    [Fact]
    public void Constructor_OutputOfRankTwo_ThrowsModelLoadNamingExpectedShape()
    {
        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.ModelPath = EncoderTestModel.WrongRankModelPath));

        act.Should().Throw<ModelLoadException>()
            .WithMessage($"*{EncoderTestModel.WrongRankModelPath}*last_hidden_state*float [batch, sequence]*not float [batch, sequence, hidden]*");
    }

    [Fact]
    public void Constructor_Int32TokenIds_ThrowsModelLoadNamingInput()
    {
        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.ModelPath = EncoderTestModel.Int32IdsModelPath));

        act.Should().Throw<ModelLoadException>()
            .WithMessage($"*{EncoderTestModel.Int32IdsModelPath}*input_ids*int32 [batch, sequence]*not int64 [batch, sequence]*");
    }

    [Fact]
    public void Constructor_ModelInputNotFed_ThrowsModelLoadNamingInput()
    {
        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.TokenTypeIdsName = null));

        act.Should().Throw<ModelLoadException>().WithMessage("*input 'token_type_ids' that OnnxTextEncoder does not feed*");
    }

    [Fact]
    public void Constructor_MissingVocabulary_ThrowsModelLoadNamingFile()
    {
        string path = Path.Combine(EncoderTestModel.Directory, "no_such_vocab.txt");

        Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.VocabularyPath = path));

        act.Should().Throw<ModelLoadException>().Where(e => e.ModelPath == path).WithMessage($"*{path}*VocabularyPath*");
    }

    [Fact]
    public void Constructor_VocabularyWithoutSpecialTokens_ThrowsModelLoadNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"promptkit-vocab-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, ["the", "user"]);
        try
        {
            Action act = () => _ = new OnnxTextEncoder(EncoderTestModel.Options(o => o.VocabularyPath = path));

            act.Should().Throw<ModelLoadException>().Where(e => e.ModelPath == path)
                .WithMessage($"*{path}*[UNK]*").WithInnerException<ArgumentException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Encode_NullText_ThrowsWithParamName()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action encode = () => encoder.Encode(null!);
        Action encodeSpan = () => encoder.Encode(null!, new float[encoder.Dimension]);

        encode.Should().Throw<ArgumentNullException>().WithParameterName("text");
        encodeSpan.Should().Throw<ArgumentNullException>().WithParameterName("state");
    }

    [Fact]
    public void Encode_EmptyText_ThrowsWithParamName()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action encode = () => encoder.Encode(string.Empty);
        Action encodeSpan = () => encoder.Encode(string.Empty, new float[encoder.Dimension]);

        encode.Should().Throw<ArgumentException>().WithParameterName("text");
        encodeSpan.Should().Throw<ArgumentException>().WithParameterName("state");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Encode_DestinationOfWrongLength_ThrowsWithParamName(int length)
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action act = () => encoder.Encode("music", new float[length]);

        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage($"*{length}*32*");
    }

    [Fact]
    public void EncodeBatch_NullTexts_ThrowsWithParamName()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action batch = () => encoder.EncodeBatch(null!);
        Action batchSpan = () => encoder.EncodeBatch(null!, Span<float>.Empty);

        batch.Should().Throw<ArgumentNullException>().WithParameterName("texts");
        batchSpan.Should().Throw<ArgumentNullException>().WithParameterName("texts");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EncodeBatch_NullOrEmptyElement_ThrowsNamingIndex(string? bad)
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());
        string[] texts = ["music", "jazz", bad!];

        Action batch = () => encoder.EncodeBatch(texts);
        Action batchSpan = () => encoder.EncodeBatch(texts, new float[3 * encoder.Dimension]);

        batch.Should().Throw<ArgumentException>().WithParameterName("texts").WithMessage("*index 2*");
        batchSpan.Should().Throw<ArgumentException>().WithParameterName("texts").WithMessage("*index 2*");
    }

    [Fact]
    public void EncodeBatch_DestinationOfWrongLength_ThrowsWithParamName()
    {
        using var encoder = new OnnxTextEncoder(EncoderTestModel.Options());

        Action act = () => encoder.EncodeBatch(["music", "jazz"], new float[encoder.Dimension]);

        act.Should().Throw<ArgumentException>().WithParameterName("destination").WithMessage("*32*2 texts*64*");
    }

    private static float[] EncodeAsState<TEncoder>(TEncoder encoder, string state)
        where TEncoder : IStateEncoder<string>
    {
        Span<float> destination = stackalloc float[encoder.Dimension];
        encoder.Encode(state, destination);
        return destination.ToArray();
    }

    private static void ShouldMatch(float[] actual, IReadOnlyList<double> expected, string because)
    {
        actual.Should().HaveCount(expected.Count, because);
        for (int i = 0; i < expected.Count; i++)
        {
            ((double)actual[i]).Should().BeApproximately(expected[i], Tolerance, "case {0}, component {1}", because, i);
        }
    }
}
