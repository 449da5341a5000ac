using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>The generator that a model's adapter dropout draws from; a trainer reseeds it every step.</summary>
internal sealed class DropoutSource : IDisposable
{
    public Generator? Generator { get; private set; }

    public void Reseed(long seed)
    {
        Generator?.Dispose();
        Generator = new Generator(unchecked((ulong)seed));
    }

    public void Dispose() => Generator?.Dispose();
}
