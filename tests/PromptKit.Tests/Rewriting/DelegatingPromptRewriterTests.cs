namespace PromptKit.Tests.Rewriting;

public sealed class DelegatingPromptRewriterTests
{
    [Fact]
    public async Task RewriteAsync_NotOverridden_PassesEverythingToInner()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new PassThroughRewriter(inner);
        Prompt prompt = new PromptBuilder().AddUser("hi").Build();
        var context = new PromptRewriteContext("u1");

        Prompt result = await rewriter.RewriteAsync(prompt, context);

        result.Should().BeSameAs(prompt);
        inner.Received.Should().ContainSingle().Which.Should().BeSameAs(prompt);
        inner.Contexts.Should().ContainSingle().Which.Should().BeSameAs(context);
    }

    [Fact]
    public void GetService_OwnType_ReturnsItself()
    {
        using var rewriter = new PassThroughRewriter(new RecordingPromptRewriter());

        rewriter.GetService(typeof(PassThroughRewriter)).Should().BeSameAs(rewriter);
        rewriter.GetService(typeof(DelegatingPromptRewriter)).Should().BeSameAs(rewriter);
    }

    [Fact]
    public void GetService_InnerType_AsksInner()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new PassThroughRewriter(inner);

        rewriter.GetService(typeof(RecordingPromptRewriter)).Should().BeSameAs(inner);
        rewriter.GetService(typeof(string)).Should().BeNull();
    }

    [Fact]
    public void GetService_WithKey_PassesToInner()
    {
        using var rewriter = new PassThroughRewriter(new RecordingPromptRewriter());

        rewriter.GetService(typeof(PassThroughRewriter), serviceKey: "k").Should().BeNull();
    }

    [Fact]
    public void GetService_NullType_ThrowsWithParamName()
    {
        using var rewriter = new PassThroughRewriter(new RecordingPromptRewriter());

        Action act = () => rewriter.GetService(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("serviceType");
    }

    [Fact]
    public void Dispose_DisposesInner()
    {
        var inner = new RecordingPromptRewriter();
        var rewriter = new PassThroughRewriter(inner);

        rewriter.Dispose();

        inner.DisposeCount.Should().Be(1);
    }

    [Fact]
    public void Constructor_NullInner_ThrowsWithParamName()
    {
        Action act = () => _ = new PassThroughRewriter(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
    }

    private sealed class PassThroughRewriter(IPromptRewriter inner) : DelegatingPromptRewriter(inner);
}
