// TorchSharp's random generator is process-wide; tests that seed it and compare weights must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
