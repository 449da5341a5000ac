using System.Globalization;
using PromptKit.CrashConsistency;

// Usage:
//   PromptKit.CrashConsistency train <folder> <iterations>             one training run (resumes from the folder's checkpoint)
//   PromptKit.CrashConsistency run <work> <kills> <iterations> <seed>  the kill-verify-resume trials; exit 1 if any fails
if (args is ["train", string folder, string iterations])
{
    int resumedAfter = await CrashTraining.RunAsync(folder, int.Parse(iterations, CultureInfo.InvariantCulture), seed: 7);
    Console.WriteLine($"resumed after {resumedAfter}");
    return 0;
}

if (args is ["run", string work, string kills, string runIterations, string seed])
{
    IReadOnlyList<CrashTrial> trials = await CrashSupervisor.RunAsync(work, int.Parse(kills, CultureInfo.InvariantCulture), int.Parse(runIterations, CultureInfo.InvariantCulture), int.Parse(seed, CultureInfo.InvariantCulture), Console.WriteLine);
    int killed = trials.Count(t => t.Killed);
    int inWrite = trials.Count(t => t.TempFileLeft);
    int found = trials.Count(t => t.CheckpointFound);
    int verified = trials.Count(t => t.CheckpointVerified);
    int missing = trials.Count(t => t.CheckpointRequired && !t.CheckpointFound);
    int equal = trials.Count(t => t.ResumeEqual);
    Console.WriteLine($"kills performed {killed} of {trials.Count} trials; kills inside a checkpoint write (temporary file left) {inWrite}; checkpoints found {found}, verified {verified}, missing after a checkpoint {missing}; resumes equal to the uninterrupted run {equal} of {trials.Count}");

    // Every trial must have killed a running child, and (with a temp-file trial among them) at least one kill must have
    // landed inside a checkpoint write: otherwise the harness proved nothing.
    bool pass = killed == trials.Count && (trials.Count < 2 || inWrite > 0) && missing == 0 && verified == found && equal == trials.Count;
    if (!pass)
    {
        Console.Error.WriteLine("FAIL: every trial must kill a running child, at least one kill must land inside a write, a checkpoint must exist after a checkpoint, and every checkpoint must verify and resume to the uninterrupted weights.");
    }

    return pass ? 0 : 1;
}

Console.Error.WriteLine("Usage: PromptKit.CrashConsistency train <folder> <iterations> | run <work> <kills> <iterations> <seed>");
return 2;
