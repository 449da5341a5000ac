using System.Diagnostics;
using System.Globalization;
using PromptKit.Training;

namespace PromptKit.CrashConsistency;

/// <summary>What one kill did and what was found after it.</summary>
/// <param name="Trial">The trial number, from 1.</param>
/// <param name="Trigger">"temp-file N" (killed when the N-th checkpoint temporary file appeared), "ckpt N +X ms" (X ms
/// after the N-th checkpoint was renamed into place) or "time X ms" (X ms after the start).</param>
/// <param name="Killed">Whether the child was still running and was killed (false: it had finished first).</param>
/// <param name="TempFileLeft">Whether a checkpoint temporary file was left behind: the kill landed inside a write.</param>
/// <param name="CheckpointRequired">Whether a checkpoint must exist after the kill: the kill came after a checkpoint was
/// renamed into place ("ckpt N", or "temp-file N" with N &gt; 1).</param>
/// <param name="CheckpointFound">Whether a checkpoint existed after the kill.</param>
/// <param name="CheckpointVerified">Whether a checkpoint existed and passed the format and SHA-256 check.</param>
/// <param name="ResumedAfter">The iteration the resumed run continued after (0: started over).</param>
/// <param name="ResumeEqual">Whether the resumed run's final weights equal the uninterrupted run's, byte for byte.</param>
public sealed record CrashTrial(int Trial, string Trigger, bool Killed, bool TempFileLeft, bool CheckpointRequired, bool CheckpointFound, bool CheckpointVerified, int ResumedAfter, bool ResumeEqual);

/// <summary>Starts <see cref="CrashTraining"/> as child processes, kills them with SIGKILL, verifies and resumes.</summary>
public static class CrashSupervisor
{
    /// <summary>The longest a training child may run (or wait for its kill point) before it is killed and the trial fails:
    /// a hung child must not hang the caller (dotnet test).</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs an uninterrupted reference, then <paramref name="kills"/> kill-verify-resume trials, cycling through
    /// three kinds of kill point: a random time, inside a checkpoint write, and a random time after a checkpoint.</summary>
    /// <param name="work">A folder for the runs (created; the caller deletes it).</param>
    /// <param name="kills">The number of trials.</param>
    /// <param name="iterations">The training iterations of every run.</param>
    /// <param name="seed">The seed of the kill points (the training seed is fixed).</param>
    /// <param name="log">Receives one line per trial.</param>
    /// <returns>The trials.</returns>
    public static async Task<IReadOnlyList<CrashTrial>> RunAsync(string work, int kills, int iterations, int seed, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(work);
        string referenceFolder = Path.Combine(work, "reference");
        var clock = Stopwatch.StartNew();

        // The time between checkpoints (one iteration) is taken from the reference run's checkpoint renames: the run's
        // duration over the iterations also holds the start-up, and a "ckpt" kill that long after a checkpoint can miss
        // a run that has finished.
        Directory.CreateDirectory(referenceFolder);
        var renames = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        using (var watcher = new FileSystemWatcher(referenceFolder, CrashTraining.CheckpointName))
        {
            watcher.Renamed += (_, _) => renames.Enqueue(clock.Elapsed);
            watcher.EnableRaisingEvents = true;
            await RunToEndAsync(referenceFolder, iterations).ConfigureAwait(false);
        }

        TimeSpan duration = clock.Elapsed;
        TimeSpan[] checkpointTimes = [.. renames];
        double iterationMs = checkpointTimes.Length >= 2
            ? (checkpointTimes[^1] - checkpointTimes[0]).TotalMilliseconds / (checkpointTimes.Length - 1)
            : duration.TotalMilliseconds / iterations;
        byte[] reference = File.ReadAllBytes(Path.Combine(referenceFolder, CrashTraining.WeightsName));
        log(string.Create(CultureInfo.InvariantCulture, $"reference run: {iterations} iterations in {duration.TotalSeconds:F1} s ({iterationMs:F0} ms between checkpoints), {reference.Length} bytes of final weights"));

        var random = new Random(seed);
        var trials = new List<CrashTrial>();
        for (int trial = 1; trial <= kills; trial++)
        {
            string folder = Path.Combine(work, $"trial-{trial:D3}");
            using Process child = StartTraining(folder, iterations);
            string trigger;
            bool required = false;
            bool killedAtFile = false;
            switch (trial % 3)
            {
                case 2:
                {
                    // The moment the N-th checkpoint write's temporary file appears (inotify): inside the write.
                    int target = random.Next(1, iterations + 1);
                    trigger = $"temp-file {target}";
                    required = target > 1; // the (target - 1)-th checkpoint is in place
                    killedAtFile = await KillOnFileAsync(child, folder, "*.tmp", target, TimeSpan.Zero).ConfigureAwait(false);
                    break;
                }

                case 0:
                {
                    // A random moment of the iteration after the N-th checkpoint was renamed into place.
                    int target = random.Next(1, iterations);
                    int delay = random.Next(0, Math.Max(1, (int)(0.8 * iterationMs)));
                    trigger = $"ckpt {target} +{delay} ms";
                    required = true;
                    await KillOnFileAsync(child, folder, CrashTraining.CheckpointName, target, TimeSpan.FromMilliseconds(delay)).ConfigureAwait(false);
                    break;
                }

                default:
                {
                    // A random moment of the first half of the reference run's time, start-up included: a child can run a
                    // third faster than the reference (measured: 3.98 s against 5.9 s), and a later kill would miss it.
                    int delay = random.Next(200, Math.Max(300, (int)(0.5 * duration.TotalMilliseconds)));
                    trigger = $"time {delay} ms";
                    await Task.WhenAny(child.WaitForExitAsync(), Task.Delay(delay)).ConfigureAwait(false);
                    break;
                }
            }

            bool killed = Kill(child) || killedAtFile;
            await WaitForExitOrFailAsync(child, folder).ConfigureAwait(false);
            bool tempLeft = Directory.Exists(folder) && Directory.GetFiles(folder, "*.tmp").Length > 0;
            string checkpoint = Path.Combine(folder, CrashTraining.CheckpointName);
            bool found = File.Exists(checkpoint);
            bool verified = found && Verify(checkpoint);
            int resumedAfter = await RunToEndAsync(folder, iterations).ConfigureAwait(false);
            bool equal = File.ReadAllBytes(Path.Combine(folder, CrashTraining.WeightsName)).AsSpan().SequenceEqual(reference);
            var result = new CrashTrial(trial, trigger, killed, tempLeft, required, found, verified, resumedAfter, equal);
            trials.Add(result);
            log(string.Create(CultureInfo.InvariantCulture,
                $"trial {trial,3}: {trigger,-16} killed={killed,-5} tempFileLeft={tempLeft,-5} checkpoint={(found ? (verified ? "verified" : "CORRUPT") : (required ? "MISSING" : "none yet")),-8} resumedAfter={resumedAfter} finalWeightsEqual={equal}"));
            Directory.Delete(folder, recursive: true);
        }

        return trials;
    }

    /// <summary>Reads the checkpoint's container: magic, version, kind, length and the payload's SHA-256.</summary>
    private static bool Verify(string path)
    {
        try
        {
            CheckpointFile.Read(path, CheckpointFile.TrainerKind, _ => { });
            return true;
        }
        catch (CheckpointException)
        {
            return false;
        }
    }

    private static async Task<int> RunToEndAsync(string folder, int iterations)
    {
        using Process child = StartTraining(folder, iterations);
        Task<string> outputRead = child.StandardOutput.ReadToEndAsync();
        Task<string> errorsRead = child.StandardError.ReadToEndAsync();
        await WaitForExitOrFailAsync(child, folder).ConfigureAwait(false);
        string output = await outputRead.ConfigureAwait(false);
        string errors = await errorsRead.ConfigureAwait(false);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The training run in '{folder}' failed with exit code {child.ExitCode}: {errors}{output}");
        }

        return int.Parse(output.Trim().Split(' ')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the child to exit; after <see cref="ChildTimeout"/> kills it and throws.</summary>
    private static async Task WaitForExitOrFailAsync(Process child, string folder)
    {
        using var timeout = new CancellationTokenSource(ChildTimeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Kill(child);
            throw new TimeoutException($"The training run in '{folder}' did not exit within {ChildTimeout.TotalMinutes} min; it was killed.");
        }
    }

    private static Process StartTraining(string folder, int iterations)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "PromptKit.CrashConsistency.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[dll, "train", folder, iterations.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Kills the child <paramref name="delay"/> after the <paramref name="target"/>-th creation of a file
    /// matching <paramref name="filter"/> in the folder (a temporary file, or the checkpoint renamed into place).</summary>
    /// <returns>Whether it killed the running child itself (with no delay, inside the file event).</returns>
    private static async Task<bool> KillOnFileAsync(Process child, string folder, string filter, int target, TimeSpan delay)
    {
        Directory.CreateDirectory(folder);
        int seen = 0;
        int killed = 0;
        var hit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(folder, filter);
        void OnEvent(object? sender, FileSystemEventArgs e)
        {
            if (Interlocked.Increment(ref seen) == target)
            {
                if (delay == TimeSpan.Zero && Kill(child))
                {
                    Volatile.Write(ref killed, 1);
                }

                hit.TrySetResult();
            }
        }

        if (filter.Contains('*', StringComparison.Ordinal))
        {
            watcher.Created += OnEvent;
        }
        else
        {
            // The checkpoint appears by a rename of its temporary file.
            watcher.Renamed += (sender, e) => OnEvent(sender, e);
        }

        watcher.EnableRaisingEvents = true;
        await Task.WhenAny(hit.Task, child.WaitForExitAsync(), Task.Delay(ChildTimeout)).ConfigureAwait(false);
        if (!hit.Task.IsCompleted && !child.HasExited)
        {
            Kill(child);
            throw new TimeoutException($"The training run in '{folder}' neither reached its kill point nor exited within {ChildTimeout.TotalMinutes} min; it was killed.");
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.WhenAny(child.WaitForExitAsync(), Task.Delay(delay)).ConfigureAwait(false);
        }

        return Volatile.Read(ref killed) == 1;
    }

    /// <summary>SIGKILL (Process.Kill on Unix); false when the child had already exited.</summary>
    private static bool Kill(Process child)
    {
        try
        {
            if (child.HasExited)
            {
                return false;
            }

            child.Kill();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
