using PromptKit.Fuzzing;

namespace PromptKit.Tests.Fuzzing;

/// <summary>
/// Replays the committed fuzzing corpus (tests/PromptKit.Fuzzing/corpus: the seeds and the inputs afl++ kept for new
/// coverage, including every crash found and fixed) through each target, without instrumentation: a fixed bug that
/// comes back fails here. scripts/fuzz.sh runs the fuzzer itself; docs/reliability.md ("Fuzzing") has the figures.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets => [.. FuzzTargetNames.All];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_EveryInput_KeepsTheTargetsInvariants(string target)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", target);
        string[] files = Directory.GetFiles(folder);
        var failures = new List<string>();

        foreach (string file in files)
        {
            try
            {
                FuzzTargets.Run(target, File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetFileName(file)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        files.Should().HaveCountGreaterThan(10, "the corpus is committed");
        failures.Should().BeEmpty();
    }

    [Fact]
    public void Run_UnknownTarget_ThrowsNamingTheTargets()
    {
        Action act = () => FuzzTargets.Run("nope", []);

        act.Should().Throw<ArgumentException>().WithParameterName("name").WithMessage("*ranking*render*");
    }
}
