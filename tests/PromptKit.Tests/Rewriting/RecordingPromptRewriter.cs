namespace PromptKit.Tests.Rewriting;

/// <summary>A terminal rewriter for tests: records what it receives and how often it is disposed, and returns the prompt unchanged.</summary>
internal sealed class RecordingPromptRewriter : IPromptRewriter
{
    private readonly List<string>? _log;
    private readonly string _name;

    public RecordingPromptRewriter(List<string>? log = null, string name = "inner")
    {
        _log = log;
        _name = name;
    }

    public List<Prompt> Received { get; } = [];

    public List<PromptRewriteContext?> Contexts { get; } = [];

    public int DisposeCount { get; private set; }

    public ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        cancellationToken.ThrowIfCancellationRequested();
        _log?.Add(_name);
        Received.Add(prompt);
        Contexts.Add(context);
        return ValueTask.FromResult(prompt);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => DisposeCount++;
}
