using System.Text.Json;

namespace PromptKit.Internalization.Tests;

/// <summary>The tiny random-weight checkpoints made by <c>tests/Fixtures/internalization/make_tiny_llama.py</c> and the
/// reference outputs of its independent implementation.</summary>
internal static class TinyCheckpoints
{
    public const string Llama = "tiny-llama";   // GQA 4:2, untied head, Llama 3.1 rotary scaling, F32 file
    public const string Qwen2 = "tiny-qwen2";   // MQA 6:1, tied head, q/k/v bias, BF16 file

    public static string FixtureRoot => Path.Combine(AppContext.BaseDirectory, "Fixtures", "internalization");

    public static string Folder(string name) => Path.Combine(FixtureRoot, name);

    public static Reference LoadReference(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(name), "reference.json")));
        JsonElement root = document.RootElement;
        int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(static x => x.GetInt32())];
        if (!root.TryGetProperty("logits", out _))
        {
            return new Reference([], [], [], [], root.GetProperty("tokenization").EnumerateArray().Select(e => (e.GetProperty("text").GetString()!, Ints(e.GetProperty("ids")))).ToList());
        }

        float[][] logits = [.. root.GetProperty("logits").EnumerateArray().Select(static row => row.EnumerateArray().Select(static v => (float)v.GetDouble()).ToArray())];
        JsonElement greedy = root.GetProperty("greedy");
        var tokenization = root.GetProperty("tokenization").EnumerateArray()
            .Select(e => (e.GetProperty("text").GetString()!, Ints(e.GetProperty("ids")))).ToList();
        return new Reference(Ints(root.GetProperty("input_ids")), logits, Ints(greedy.GetProperty("prompt")), Ints(greedy.GetProperty("generated")), tokenization);
    }

    /// <summary>Copies a checkpoint to a fresh temporary folder (for tests that corrupt or write files).</summary>
    public static string CopyToTemporary(string name)
    {
        string target = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(Folder(name)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    internal sealed record Reference(int[] InputIds, float[][] Logits, int[] GreedyPrompt, int[] GreedyGenerated, List<(string Text, int[] Ids)> Tokenization);
}
