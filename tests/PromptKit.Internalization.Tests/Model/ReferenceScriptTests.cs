using System.Diagnostics;

namespace PromptKit.Internalization.Tests;

/// <summary>Runs the fixture script where Python and PyTorch are installed (Debian: python3-torch python3-regex python3-sentencepiece), so
/// that the committed fixture is shown to be what the independent implementation computes, not a stale copy.</summary>
public sealed class ReferenceScriptTests
{
    private const string Python = "/usr/bin/python3";

    [SkippableFact]
    public void TheScriptRegeneratesTheCommittedFixtureAndTheModelStillMatchesIt()
    {
        Skip.IfNot(HasPyTorch(), $"{Python} with torch, regex and sentencepiece is not installed (apt-get install python3-torch python3-regex python3-sentencepiece); the committed fixture is used instead.");
        string output = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);

        (int code, string log) = Run(Path.Combine(TinyCheckpoints.FixtureRoot, "make_tiny_llama.py") + " " + output);

        code.Should().Be(0, log);
        foreach (string name in new[] { TinyCheckpoints.Llama, TinyCheckpoints.Qwen2 })
        {
            File.ReadAllBytes(Path.Combine(output, name, "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(TinyCheckpoints.Folder(name), "model.safetensors")));
            File.ReadAllText(Path.Combine(output, name, "reference.json")).Should().Be(File.ReadAllText(Path.Combine(TinyCheckpoints.Folder(name), "reference.json")));
        }

        File.ReadAllText(Path.Combine(output, "tiny-sentencepiece", "reference.json")).Should().Be(File.ReadAllText(Path.Combine(TinyCheckpoints.Folder("tiny-sentencepiece"), "reference.json")));

        // And the model loaded from the fresh files still computes the fresh reference.
        using CausalLanguageModel model = CausalLanguageModel.Load(Path.Combine(output, TinyCheckpoints.Llama));
        int[] ids = [377, 302, 10, 339, 266, 114];
        float[] fresh = model.GetLogits(ids);
        using CausalLanguageModel committed = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        fresh.Should().Equal(committed.GetLogits(ids));
    }

    private static bool HasPyTorch() => File.Exists(Python) && Run("-c \"import torch, regex, sentencepiece\"").Code == 0;

    private static (int Code, string Log) Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Task<string> error = process.StandardError.ReadToEndAsync(); // both pipes drained at once: no deadlock on a full one
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 300 s\n" + output);
        }

        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }
}
