using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PromptKit.Samples.PromptInternalization;

/// <summary>Learns a byte-level BPE (GPT-2's algorithm) from the task's own text and writes it in Hugging Face layout
/// (vocab.json, merges.txt, tokenizer_config.json with a ChatML template), so the tiny model reads the task in few tokens.</summary>
internal static partial class TaskTokenizer
{
    public static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    public static void Write(string folder, IEnumerable<string> corpus, int merges)
    {
        Directory.CreateDirectory(folder);
        string[] byteMap = ByteMap();
        var words = new Dictionary<string, (List<string> Symbols, int Count)>(StringComparer.Ordinal);
        foreach (string text in corpus)
        {
            foreach (Match piece in Gpt2().Matches(text))
            {
                string mapped = string.Concat(Encoding.UTF8.GetBytes(piece.Value).Select(b => byteMap[b]));
                if (words.TryGetValue(mapped, out var entry))
                {
                    words[mapped] = (entry.Symbols, entry.Count + 1);
                }
                else
                {
                    words[mapped] = ([.. mapped.Select(static c => c.ToString())], 1);
                }
            }
        }

        var merged = new List<(string A, string B)>();
        for (int m = 0; m < merges; m++)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach ((List<string> symbols, int count) in words.Values)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
                }
            }

            if (pairs.Count == 0)
            {
                break;
            }

            (string a, string b) = pairs.OrderByDescending(static p => p.Value).ThenBy(static p => p.Key.Item1, StringComparer.Ordinal).ThenBy(static p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            if (pairs[(a, b)] < 2)
            {
                break;
            }

            merged.Add((a, b));
            foreach ((List<string> symbols, _) in words.Values)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == a && symbols[i + 1] == b)
                    {
                        symbols[i] = a + b;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }

        var vocab = new JsonObject();
        int next = 0;
        foreach (string token in byteMap.Concat(merged.Select(static p => p.A + p.B)))
        {
            if (!vocab.ContainsKey(token))
            {
                vocab[token] = next++;
            }
        }

        var added = new JsonObject();
        foreach (string special in Specials)
        {
            added[next.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["content"] = special, ["special"] = true };
            next++;
        }

        File.WriteAllText(Path.Combine(folder, "vocab.json"), vocab.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join('\n', merged.Select(static p => $"{p.A} {p.B}")) + "\n");
        var config = new JsonObject
        {
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["chat_template"] = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}",
            ["added_tokens_decoder"] = added,
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString());
    }

    public static int VocabularySize(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "vocab.json")))!.AsObject().Count + Specials.Length;

    private static string[] ByteMap()
    {
        var printable = new List<int>();
        printable.AddRange(Enumerable.Range('!', '~' - '!' + 1));
        printable.AddRange(Enumerable.Range('¡', '¬' - '¡' + 1));
        printable.AddRange(Enumerable.Range('®', 'ÿ' - '®' + 1));
        var map = new string[256];
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + extra++)).ToString();
        }

        return map;
    }

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2();
}
