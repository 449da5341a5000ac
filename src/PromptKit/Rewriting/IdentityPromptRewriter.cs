namespace PromptKit;

/// <summary>The rewriter that returns the prompt unchanged: the innermost layer of a pipeline that has no other.</summary>
internal sealed class IdentityPromptRewriter : IPromptRewriter
{
    private IdentityPromptRewriter()
    {
    }

    public static IdentityPromptRewriter Instance { get; } = new();

    public ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<Prompt>(cancellationToken) : ValueTask.FromResult(prompt);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // Holds nothing; shared by every pipeline.
    }
}
