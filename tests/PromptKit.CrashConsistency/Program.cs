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
    int verified = trials.Count(t => t.CheckpointFound && t.CheckpointVerified);
    int equal = trials.Count(t => t.ResumeEqual);
    Console.WriteLine($"kills performed {killed} of {trials.Count} trials; kills inside a checkpoint write (temporary file left) {inWrite}; checkpoints found {found}, verified {verified}; resumes equal to the uninterrupted run {equal} of {trials.Count}");
    return verified == found && equal == trials.Count ? 0 : 1;
}

Console.Error.WriteLine("Usage: PromptKit.CrashConsistency train <folder> <iterations> | run <work> <kills> <iterations> <seed>");
return 2;
