using PromptKit.CrashConsistency;

namespace PromptKit.Training.Tests;

/// <summary>
/// The short version of scripts/crash-kill.sh: a training child process is killed with SIGKILL inside a checkpoint write
/// and at a random moment; each time the checkpoint left behind verifies (format and SHA-256) and resuming reaches the
/// same final weights, byte for byte, as an uninterrupted run.
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"pk-crash-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task KilledTrainingRuns_LeaveVerifiedCheckpointsAndResumeToTheUninterruptedWeights()
    {
        var log = new List<string>();

        // Trial 1 at a random moment, trial 2 the instant a checkpoint's temporary file appears (see CrashSupervisor).
        IReadOnlyList<CrashTrial> trials = await CrashSupervisor.RunAsync(_work, kills: 2, iterations: 2, seed: 5, log.Add);

        string report = string.Join('\n', log);
        trials.Should().HaveCount(2);
        trials.Should().OnlyContain(t => !t.CheckpointRequired || t.CheckpointFound, report);
        trials.Should().OnlyContain(t => !t.CheckpointFound || t.CheckpointVerified, report);
        trials.Should().OnlyContain(t => t.ResumeEqual, report);
        trials[1].Killed.Should().BeTrue(report);
    }
}
