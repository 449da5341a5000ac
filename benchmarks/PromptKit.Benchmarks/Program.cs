using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using PromptKit.Benchmarks;

if (args.Length == 2 && args[0] == DataExport.Switch)
{
    DataExport.Run(args[1]);
    return;
}

if (args.Length >= 1 && args[0] == QuickTimings.Switch)
{
    QuickTimings.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args, config);
