using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptKit.OnnxRuntime.Tests.Encoders;

/// <summary>Paths of the tiny encoder made by Models/encoder/make_encoder.py, and its numpy reference embeddings.</summary>
internal static class EncoderTestModel
{
    private static readonly Lazy<EncoderReference> LazyReference = new(() =>
        JsonSerializer.Deserialize<EncoderReference>(File.ReadAllText(PathOf("reference.json")))
        ?? throw new InvalidDataException("reference.json is empty."));

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "encoder");

    public static string ModelPath => PathOf("encoder.onnx");

    public static string NoTokenTypesModelPath => PathOf("encoder_no_token_types.onnx");

    public static string WrongRankModelPath => PathOf("wrong_rank.onnx");

    public static string Int32IdsModelPath => PathOf("int32_ids.onnx");

    public static string VocabularyPath => PathOf("vocab.txt");

    public static EncoderReference Reference => LazyReference.Value;

    public static IEnumerable<object[]> CaseNames() => Reference.Cases.Select(c => new object[] { c.Name });

    public static EncoderCase Case(string name) => Reference.Cases.Single(c => c.Name == name);

    public static OnnxTextEncoderOptions Options(Action<OnnxTextEncoderOptions>? configure = null)
    {
        var options = new OnnxTextEncoderOptions
        {
            ModelPath = ModelPath,
            VocabularyPath = VocabularyPath,
            Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 },
        };
        configure?.Invoke(options);
        return options;
    }

    private static string PathOf(string file) => Path.Combine(Directory, file);
}

internal sealed class EncoderReference
{
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; }

    [JsonPropertyName("max_positions")]
    public int MaxPositions { get; init; }

    [JsonPropertyName("cases")]
    public IReadOnlyList<EncoderCase> Cases { get; init; } = [];
}

internal sealed class EncoderCase
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("text")]
    public string Text { get; init; } = "";

    [JsonPropertyName("max_length")]
    public int MaxLength { get; init; }

    [JsonPropertyName("tokens")]
    public IReadOnlyList<string> Tokens { get; init; } = [];

    [JsonPropertyName("ids")]
    public IReadOnlyList<int> Ids { get; init; } = [];

    [JsonPropertyName("mean")]
    public IReadOnlyList<double> Mean { get; init; } = [];

    [JsonPropertyName("mean_l2")]
    public IReadOnlyList<double> MeanL2 { get; init; } = [];

    [JsonPropertyName("cls")]
    public IReadOnlyList<double> Cls { get; init; } = [];

    [JsonPropertyName("cls_l2")]
    public IReadOnlyList<double> ClsL2 { get; init; } = [];

    public IReadOnlyList<double> Expected(OnnxTextEncoderPooling pooling, bool normalize) => (pooling, normalize) switch
    {
        (OnnxTextEncoderPooling.Mean, false) => Mean,
        (OnnxTextEncoderPooling.Mean, true) => MeanL2,
        (OnnxTextEncoderPooling.Cls, false) => Cls,
        _ => ClsL2,
    };
}
