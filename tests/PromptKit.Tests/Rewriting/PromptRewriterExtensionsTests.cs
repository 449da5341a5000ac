namespace PromptKit.Tests.Rewriting;

public sealed class PromptRewriterExtensionsTests
{
    [Fact]
    public async Task AsBuilder_WrapsRewriterAsInnermost()
    {
        var log = new List<string>();
        var inner = new RecordingPromptRewriter(log);

        using IPromptRewriter rewriter = inner.AsBuilder()
            .Use(async (p, c, next, ct) =>
            {
                log.Add("outer");
                return await next.RewriteAsync(p, c, ct);
            })
            .Build();
        await rewriter.RewriteAsync(new PromptBuilder().AddUser("hi").Build());

        log.Should().Equal("outer", "inner");
        rewriter.GetService<RecordingPromptRewriter>().Should().BeSameAs(inner);
    }

    [Fact]
    public void GetService_FindsEachLayer()
    {
        var inner = new RecordingPromptRewriter();
        using IPromptRewriter rewriter = inner.AsBuilder()
            .UseComponentFilter(PromptComponentKind.Summary)
            .UseListLimit(1, ListItemRetention.First, PromptComponentKind.Examples)
            .Build();

        rewriter.GetService<ComponentFilterPromptRewriter>().Should().BeSameAs(rewriter);
        rewriter.GetService<ListLimitPromptRewriter>().Should().NotBeNull();
        rewriter.GetService<RecordingPromptRewriter>().Should().BeSameAs(inner);
        rewriter.GetService<string>().Should().BeNull();
    }

    [Fact]
    public void AsBuilder_NullRewriter_ThrowsWithParamName()
    {
        Action act = () => ((IPromptRewriter)null!).AsBuilder();

        act.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
    }

    [Fact]
    public void GetService_NullRewriter_ThrowsWithParamName()
    {
        Action act = () => ((IPromptRewriter)null!).GetService<ListLimitPromptRewriter>();

        act.Should().Throw<ArgumentNullException>().WithParameterName("rewriter");
    }
}
