using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using PromptKit.Benchmarks;

if (args.Length == 2 && args[0] == DataExport.Switch)
{
    DataExport.Run(args[1]);
    return;
}

IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkData).Assembly).Run(args, config);
