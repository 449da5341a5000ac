using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace PromptKit.Internalization;

/// <summary>A checkpoint's tokenizer (Microsoft.ML.Tokenizers) with its special tokens and chat template, read from the
/// checkpoint's files: byte-level BPE from <c>tokenizer.json</c> or <c>vocab.json</c> + <c>merges.txt</c> (GPT-2, SmolLM,
/// Qwen2), or SentencePiece from <c>tokenizer.model</c> (Llama 2, TinyLlama).</summary>
/// <remarks>Thread-safe: the underlying tokenizers are.</remarks>
public sealed class ModelTokenizer
{
    /// <summary>GPT-2's pre-tokenization pattern (used when <c>tokenizer.json</c> names no Split pattern).</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly string[] TokenizerFiles = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"];
    private readonly string _sourceFolder;

    private ModelTokenizer(Tokenizer tokenizer, IReadOnlyDictionary<string, int> specialTokens, ChatTemplate template, IReadOnlyList<int> endOfSequence, int? padding, int? beginning, string folder)
    {
        BeginningOfSequenceTokenId = beginning;
        Tokenizer = tokenizer;
        SpecialTokens = specialTokens;
        ChatTemplate = template;
        EndOfSequenceTokenIds = endOfSequence;
        PaddingTokenId = padding;
        _sourceFolder = folder;
    }

    /// <summary>Gets the underlying tokenizer (e.g. for <c>OnnxChatClientOptions.Tokenizer</c>).</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Gets the special tokens (added tokens) by text.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Gets the chat layout.</summary>
    public ChatTemplate ChatTemplate { get; }

    /// <summary>Gets the ids that end a reply: the end-of-sequence token and the chat template's end-of-turn token.</summary>
    public IReadOnlyList<int> EndOfSequenceTokenIds { get; }

    /// <summary>Gets the token id that <see cref="EncodeChat"/> puts first (the checkpoint's <c>bos_token</c> when its
    /// <c>add_bos_token</c> is set, as for Llama 2 and TinyLlama), or <see langword="null"/> for none.</summary>
    public int? BeginningOfSequenceTokenId { get; }

    /// <summary>Gets the padding token id, or <see langword="null"/>.</summary>
    public int? PaddingTokenId { get; }

    /// <summary>Reads the tokenizer files of a Hugging Face checkpoint folder.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or blank.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ModelFormatException">No tokenizer files are there, or they describe a tokenizer this library does not read.</exception>
    public static ModelTokenizer Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string folder = Path.GetFullPath(directory);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The checkpoint folder '{folder}' does not exist.");
        }

        JsonObject? config = ReadJson(Path.Combine(folder, "tokenizer_config.json"));
        JsonObject? tokenizerJson = ReadJson(Path.Combine(folder, "tokenizer.json"));
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        if (tokenizerJson?["added_tokens"] is JsonArray added)
        {
            foreach (JsonNode? token in added)
            {
                special[token!["content"]!.GetValue<string>()] = token["id"]!.GetValue<int>();
            }
        }
        else if (config?["added_tokens_decoder"] is JsonObject decoder)
        {
            foreach ((string id, JsonNode? token) in decoder)
            {
                special[token!["content"]!.GetValue<string>()] = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Tokenizer tokenizer = CreateTokenizer(folder, tokenizerJson, special);
        string? templateText = config?["chat_template"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray named => named.FirstOrDefault(t => t?["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>(),
            _ => null,
        };
        ChatTemplate template = templateText is null ? ChatTemplate.ChatMl : ChatTemplate.Detect(templateText);

        var endOfSequence = new List<int>();
        if (TokenText(config?["eos_token"]) is string eos && special.TryGetValue(eos, out int eosId))
        {
            endOfSequence.Add(eosId);
        }

        if (special.TryGetValue(template.EndOfTurn, out int turnEnd) && !endOfSequence.Contains(turnEnd))
        {
            endOfSequence.Add(turnEnd);
        }

        int? padding = TokenText(config?["pad_token"]) is string pad && special.TryGetValue(pad, out int padId) ? padId : null;
        bool addBos = config?["add_bos_token"]?.GetValue<bool>() ?? tokenizer is SentencePieceTokenizer;
        int? beginning = addBos && TokenText(config?["bos_token"]) is string bos
            ? (special.TryGetValue(bos, out int bosId) ? bosId : tokenizer is SentencePieceTokenizer sp ? sp.BeginningOfSentenceId : null)
            : null;
        return new ModelTokenizer(tokenizer, special, template, endOfSequence, padding, beginning, folder);
    }

    /// <summary>Encodes text (special tokens written in the text are encoded as special tokens).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token ids.</returns>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenizer.EncodeToIds(text);
    }

    /// <summary>Decodes token ids to text.</summary>
    /// <param name="ids">The ids.</param>
    /// <returns>The text.</returns>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Tokenizer.Decode(ids) ?? string.Empty;
    }

    /// <summary>Renders a conversation with the chat template and encodes it, after the beginning-of-sequence token when the checkpoint adds one.</summary>
    /// <param name="messages">The turns.</param>
    /// <param name="addGenerationPrompt">Whether to end with the start of an assistant turn.</param>
    /// <returns>The token ids.</returns>
    public IReadOnlyList<int> EncodeChat(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        IReadOnlyList<int> ids = Encode(ChatTemplate.Format(messages, addGenerationPrompt));
        return BeginningOfSequenceTokenId is int bos ? [bos, .. ids] : ids;
    }

    /// <summary>Encodes text and returns, for each token, the index in <paramref name="text"/> where it starts (a
    /// normalizer's added prefix, such as SentencePiece's dummy space, is accounted for).</summary>
    internal (int[] Ids, int[] Starts) EncodeWithStarts(string text)
    {
        IReadOnlyList<EncodedToken> tokens = Tokenizer.EncodeToTokens(text, out string? normalized);
        int shift = normalized is null ? 0 : normalized.Length - text.Length;
        if (shift is < 0 or > 1)
        {
            // Offsets refer to the normalized text; only a one-character prefix (SentencePiece's dummy space) is mapped back.
            throw new NotSupportedException($"The tokenizer's normalizer changes the text's length by {shift} characters inside the text; token offsets cannot be mapped back to it.");
        }

        var ids = new int[tokens.Count];
        var starts = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            starts[i] = Math.Max(0, tokens[i].Offset.Start.GetOffset(normalized?.Length ?? text.Length) - shift);
        }

        return (ids, starts);
    }

    /// <summary>Copies the tokenizer files this tokenizer was read from into another folder (e.g. next to a saved model).</summary>
    /// <param name="directory">The folder; created when missing.</param>
    public void CopyFilesTo(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string target = Path.GetFullPath(directory);
        Directory.CreateDirectory(target);
        foreach (string name in TokenizerFiles)
        {
            string source = Path.Combine(_sourceFolder, name);
            if (File.Exists(source) && !string.Equals(Path.GetFullPath(source), Path.Combine(target, name), StringComparison.Ordinal))
            {
                File.Copy(source, Path.Combine(target, name), overwrite: true);
            }
        }
    }

    private static Tokenizer CreateTokenizer(string folder, JsonObject? tokenizerJson, Dictionary<string, int> special)
    {
        string sentencePiece = Path.Combine(folder, "tokenizer.model");
        JsonObject? model = tokenizerJson?["model"] as JsonObject;
        bool byteLevel = tokenizerJson is null || IsByteLevel(tokenizerJson["pre_tokenizer"]) || IsByteLevel(tokenizerJson["decoder"]);
        if (File.Exists(sentencePiece) && (model is null || !byteLevel))
        {
            using FileStream stream = File.OpenRead(sentencePiece);
            // No BOS from the tokenizer itself: EncodeChat adds it once, so that pieces encoded alone get none.
            return LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false, specialTokens: special.Count > 0 ? special : null);
        }

        IEnumerable<KeyValuePair<string, int>> vocabulary;
        IEnumerable<string> merges;
        string pattern = Gpt2Pattern;
        bool splitDigits = false, nfc = false;
        if (model is not null)
        {
            if (model["type"]?.GetValue<string>() != "BPE" || !byteLevel)
            {
                throw new ModelFormatException($"'{Path.Combine(folder, "tokenizer.json")}' describes a {model["type"]?.GetValue<string>() ?? "unknown"} tokenizer{(byteLevel ? string.Empty : " without byte-level pre-tokenization")}; this library reads byte-level BPE tokenizer.json files and SentencePiece tokenizer.model files.", folder);
            }

            vocabulary = ((JsonObject)model["vocab"]!).Select(static e => new KeyValuePair<string, int>(e.Key, e.Value!.GetValue<int>())).ToList();
            merges = ((JsonArray)model["merges"]!).Select(static m => m is JsonArray pair ? $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}" : m!.GetValue<string>()).ToList();
            pattern = SplitPattern(tokenizerJson!["pre_tokenizer"]) ?? Gpt2Pattern;
            CheckStages(tokenizerJson, Path.Combine(folder, "tokenizer.json"), out splitDigits, out nfc);
        }
        else if (File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt")))
        {
            JsonObject vocab = ReadJson(Path.Combine(folder, "vocab.json"))!;
            vocabulary = vocab.Select(static e => new KeyValuePair<string, int>(e.Key, e.Value!.GetValue<int>())).ToList();
            merges = File.ReadLines(Path.Combine(folder, "merges.txt")).Where(static l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal)).ToList();
        }
        else
        {
            throw new ModelFormatException($"The checkpoint folder '{folder}' has no tokenizer files (tokenizer.json, vocab.json + merges.txt, or tokenizer.model).", folder);
        }

        PreTokenizer preTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), special);
        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            SpecialTokens = special,
            ByteLevel = true,
            PreTokenizer = splitDigits ? new DigitsThenRegexPreTokenizer(preTokenizer) : preTokenizer,
            Normalizer = nfc ? new NfcNormalizer() : null,
        };
        return BpeTokenizer.Create(options);
    }

    /// <summary>Refuses tokenizer.json stages this library does not reproduce (so ids never silently differ from Hugging
    /// Face's): normalizers other than NFC, pre-tokenizers other than ByteLevel, Split and Digits with individual digits.</summary>
    private static void CheckStages(JsonObject tokenizerJson, string path, out bool splitDigits, out bool nfc)
    {
        bool digits = false, normalize = false;
        var unsupported = new List<string>();
        void PreTokenizerStage(JsonNode? node)
        {
            switch (node?["type"]?.GetValue<string>())
            {
                case null:
                    return;
                case "Sequence":
                    foreach (JsonNode? inner in node["pretokenizers"] as JsonArray ?? [])
                    {
                        PreTokenizerStage(inner);
                    }

                    return;
                case "ByteLevel" or "Split":
                    return;
                case "Digits" when node["individual_digits"]?.GetValue<bool>() == true:
                    digits = true;
                    return;
                case string other:
                    unsupported.Add($"pre-tokenizer {other}");
                    return;
            }
        }

        void NormalizerStage(JsonNode? node)
        {
            switch (node?["type"]?.GetValue<string>())
            {
                case null:
                    return;
                case "Sequence":
                    foreach (JsonNode? inner in node["normalizers"] as JsonArray ?? [])
                    {
                        NormalizerStage(inner);
                    }

                    return;
                case "NFC":
                    normalize = true;
                    return;
                case string other:
                    unsupported.Add($"normalizer {other}");
                    return;
            }
        }

        PreTokenizerStage(tokenizerJson["pre_tokenizer"]);
        NormalizerStage(tokenizerJson["normalizer"]);
        if (unsupported.Count > 0)
        {
            throw new ModelFormatException($"'{path}' uses {string.Join(", ", unsupported)}, which this library does not reproduce (it reads byte-level BPE with ByteLevel, Split and Digits pre-tokenizers and an NFC normalizer); token ids would differ from the model's.", path);
        }

        splitDigits = digits;
        nfc = normalize;
    }

    private static bool IsByteLevel(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "ByteLevel" => true,
        JsonObject o when o["pretokenizers"] is JsonArray list => list.Any(IsByteLevel),
        JsonObject o when o["decoders"] is JsonArray list => list.Any(IsByteLevel),
        _ => false,
    };

    private static string? SplitPattern(JsonNode? node) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() == "Split" => o["pattern"]?["Regex"]?.GetValue<string>(),
        JsonObject o when o["pretokenizers"] is JsonArray list => list.Select(SplitPattern).FirstOrDefault(static p => p is not null),
        _ => null,
    };

    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => null,
    };

    private static JsonObject? ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ModelFormatException($"'{path}' is not a JSON object.", path);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{path}' is not valid JSON: {e.Message}", path, e);
        }
    }
}
