using System.Collections.Immutable;

namespace PromptKit.Fuzzing;

/// <summary>The fuzz target names, also the corpus folder names under <c>tests/PromptKit.Fuzzing/corpus</c>.</summary>
/// <remarks>Kept apart from <see cref="FuzzTargets"/>: nothing of the instrumented PromptKit.dll may run before SharpFuzz's
/// fork server has set up afl's shared memory (it would write to an unmapped coverage map), and reading the names must
/// not run <see cref="FuzzTargets"/>' static initializer, which builds PromptKit objects.</remarks>
public static class FuzzTargetNames
{
    /// <summary>Gets every target name.</summary>
    public static ImmutableArray<string> All { get; } = ["ranking", "render", "bleu13a", "bleuintl", "rouge", "chrf"];
}
