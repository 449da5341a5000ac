using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace PromptKit.OnnxRuntime.Tests.Chat;

/// <summary>The tiny causal LM under Models/lm (made by make_lm.py): paths, its tokenizer and the torch reference decoding.</summary>
internal static class LmTestModel
{
    public const int EndOfText = 304;

    private static readonly Lazy<BpeTokenizer> LazyTokenizer = new(CreateTokenizer);
    private static readonly Lazy<IReadOnlyList<ReferenceCase>> LazyCases = new(LoadCases);

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "lm");

    public static string PastModelPath { get; } = Path.Combine(Directory, "lm_past.onnx");

    public static string NoPastModelPath { get; } = Path.Combine(Directory, "lm_nopast.onnx");

    public static Tokenizer Tokenizer => LazyTokenizer.Value;

    public static IReadOnlyList<ReferenceCase> Cases => LazyCases.Value;

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static OnnxChatClientOptions Options(bool withPast = true, bool withEos = true)
    {
        var options = new OnnxChatClientOptions
        {
            ModelPath = withPast ? PastModelPath : NoPastModelPath,
            Tokenizer = Tokenizer,
            MaxContextLength = 128,
            DefaultMaxOutputTokens = 40,
            Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cpu, IntraOpThreads = 1 },
        };
        if (withEos)
        {
            options.EndOfSequenceTokenIds.Add(EndOfText);
        }

        return options;
    }

    public static OnnxChatClient Client(bool withPast = true, bool withEos = true) => new(Options(withPast, withEos));

    /// <summary>Byte-level BPE over the whole text (no pre-tokenizer splitting), as make_lm.py encodes.</summary>
    private static BpeTokenizer CreateTokenizer()
    {
        var special = new Dictionary<string, int> { ["<|endoftext|>"] = EndOfText };
        return BpeTokenizer.Create(new BpeOptions(Path.Combine(Directory, "vocab.json"), Path.Combine(Directory, "merges.txt"))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new Regex(@"[\s\S]+", RegexOptions.None, TimeSpan.FromSeconds(1)), special),
            SpecialTokens = special,
        });
    }

    private static List<ReferenceCase> LoadCases()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "reference.json")));
        var cases = new List<ReferenceCase>();
        foreach (JsonElement c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var messages = c.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(new ChatRole(m.GetProperty("role").GetString()!), m.GetProperty("content").GetString()))
                .ToArray();
            cases.Add(new ReferenceCase(
                messages,
                c.GetProperty("prompt_text").GetString()!,
                [.. c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. c.GetProperty("first_step_logits").EnumerateArray().Select(e => e.GetSingle())],
                [.. c.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32())]));
        }

        return cases;
    }
}

/// <summary>One prompt of reference.json: messages, rendered text, token ids, torch's first-step logits and greedy continuation.</summary>
internal sealed record ReferenceCase(ChatMessage[] Messages, string PromptText, int[] PromptIds, float[] FirstStepLogits, int[] GreedyIds);
