namespace PromptKit.Samples;

/// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool
/// and can report out of order); the samples' progress bars use it.</summary>
/// <typeparam name="T">The progress value.</typeparam>
/// <param name="report">Receives each value.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
