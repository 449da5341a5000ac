using PromptKit.Fuzzing;
using SharpFuzz;

// Usage:
//   PromptKit.Fuzzing <target>                  afl-fuzz fork server for one target (run by scripts/fuzz.sh)
//   PromptKit.Fuzzing --replay <target> <path>  runs every file under <path> through the target, without instrumentation
if (args.Length == 1 && FuzzTargetNames.All.Contains(args[0]))
{
    string target = args[0];
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

if (args.Length == 3 && args[0] == "--replay" && FuzzTargetNames.All.Contains(args[1]))
{
    string[] files = Directory.Exists(args[2]) ? Directory.GetFiles(args[2], "*", SearchOption.AllDirectories) : [args[2]];
    Array.Sort(files, StringComparer.Ordinal);
    int failures = 0;
    foreach (string file in files)
    {
        try
        {
            FuzzTargets.Run(args[1], File.ReadAllBytes(file));
        }
#pragma warning disable CA1031 // a replay reports every failing input, whatever it throws
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failures++;
            Console.Error.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    Console.WriteLine($"{args[1]}: {files.Length} inputs, {failures} failures");
    return failures == 0 ? 0 : 1;
}

Console.Error.WriteLine($"Usage: PromptKit.Fuzzing <target> | --replay <target> <file-or-folder>. Targets: {string.Join(", ", FuzzTargetNames.All)}.");
return 2;
