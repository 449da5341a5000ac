namespace PromptKit;

/// <summary>A pipeline layer made from a delegate passed to <see cref="PromptRewriterBuilder.Use(Func{Prompt, PromptRewriteContext?, IPromptRewriter, CancellationToken, ValueTask{Prompt}})"/>.</summary>
internal sealed class AnonymousDelegatingPromptRewriter : DelegatingPromptRewriter
{
    private readonly Func<Prompt, PromptRewriteContext?, IPromptRewriter, CancellationToken, ValueTask<Prompt>> _rewriteFunc;

    public AnonymousDelegatingPromptRewriter(
        IPromptRewriter innerRewriter, Func<Prompt, PromptRewriteContext?, IPromptRewriter, CancellationToken, ValueTask<Prompt>> rewriteFunc)
        : base(innerRewriter)
    {
        ArgumentNullException.ThrowIfNull(rewriteFunc);
        _rewriteFunc = rewriteFunc;
    }

    public override ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return RewriteCoreAsync(prompt, context, cancellationToken);
    }

    private async ValueTask<Prompt> RewriteCoreAsync(Prompt prompt, PromptRewriteContext? context, CancellationToken cancellationToken)
    {
        Prompt? result = await _rewriteFunc(prompt, context, InnerRewriter, cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException(
            $"The delegate passed to {nameof(PromptRewriterBuilder)}.{nameof(PromptRewriterBuilder.Use)} returned a null prompt. Return the prompt (changed or not), or the inner rewriter's result.");
    }
}
