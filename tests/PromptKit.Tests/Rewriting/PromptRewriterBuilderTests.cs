namespace PromptKit.Tests.Rewriting;

public sealed class PromptRewriterBuilderTests
{
    private static readonly Prompt Sample = new PromptBuilder().AddInstruction("Write a review.").AddSummary("Likes sci-fi.").Build();

    [Fact]
    public async Task Build_SeveralUseCalls_FirstUseIsOutermost()
    {
        var log = new List<string>();
        var inner = new RecordingPromptRewriter(log);
        IPromptRewriter rewriter = new PromptRewriterBuilder(inner)
            .Use(Layer(log, "first"))
            .Use((next, _) => new LoggingRewriter(next, log, "second"))
            .Use(next => new LoggingRewriter(next, log, "third"))
            .Build();

        await rewriter.RewriteAsync(Sample);

        log.Should().Equal("first", "second", "third", "inner");
        rewriter.Should().BeAssignableTo<DelegatingPromptRewriter>();
    }

    [Fact]
    public async Task Build_RewritingGuideExample_DropsSummaryAndKeepsRecentHistory()
    {
        // The snippet of docs/rewriting.md: keep the two blocks the same.
        Prompt prompt = new PromptBuilder()
            .AddInstruction("Write the user's next product review.")
            .AddHistory(["Review of a kettle", "Review of a lamp", "Review of a phone"], isEditable: true)
            .AddSummary("The user writes short, technical reviews.")            // editable by default
            .AddSynthesis(["battery", "screen", "price"])                      // editable by default
            .Build();

        using IPromptRewriter rewriter = new PromptRewriterBuilder()          // or trainedRewriter.AsBuilder()
            .UseComponentFilter(PromptComponentKind.Summary)                   // first Use = outermost = runs first
            .UseListLimit(2, ListItemRetention.Last, PromptComponentKind.HistoryRecords)
            .Use((p, context, next, ct) =>                                     // a layer written as one delegate
            {
                // Repeat the first keyword (a pattern the learned rewriter of the paper found); edit editable components only.
                if (p.TryGetComponent("synthesis", out PromptComponent? keywords) && keywords.IsEditable && keywords.Items.Length > 0)
                {
                    p = p.WithItems("synthesis", [keywords.Items[0], .. keywords.Items]);
                }

                return next.RewriteAsync(p, context, ct);
            })
            .Build();

        Prompt rewritten = await rewriter.RewriteAsync(prompt, new PromptRewriteContext(userId: "u42"));
        // rewritten: instruction, history [lamp, phone], synthesis [battery, battery, screen, price]; no summary

        rewritten.Components.Select(c => c.Name).Should().Equal("instruction", "history", "synthesis");
        rewritten["history"].Items.Should().Equal("Review of a lamp", "Review of a phone");
        rewritten["synthesis"].Items.Should().Equal("battery", "battery", "screen", "price");
    }

    [Fact]
    public async Task Build_NoInnerRewriter_ReturnsPromptUnchanged()
    {
        IPromptRewriter rewriter = new PromptRewriterBuilder().Build();

        Prompt result = await rewriter.RewriteAsync(Sample);

        result.Should().BeSameAs(Sample);
    }

    [Fact]
    public async Task Use_AnonymousLayer_CanEditBeforeAndAfterInner()
    {
        var inner = new RecordingPromptRewriter();
        IPromptRewriter rewriter = new PromptRewriterBuilder(inner)
            .Use(async (prompt, context, next, ct) =>
            {
                Prompt edited = prompt.WithText("summary", "before");
                Prompt result = await next.RewriteAsync(edited, context, ct);
                return result.WithText("instruction", "after");
            })
            .Build();
        var context = new PromptRewriteContext("u1");

        Prompt result = await rewriter.RewriteAsync(Sample, context);

        inner.Received.Single()["summary"].Text.Should().Be("before");
        inner.Contexts.Single().Should().BeSameAs(context);
        result["instruction"].Text.Should().Be("after");
    }

    [Fact]
    public async Task Use_AnonymousLayerReturnsNull_ThrowsInvalidOperation()
    {
        IPromptRewriter rewriter = new PromptRewriterBuilder().Use((_, _, _, _) => ValueTask.FromResult<Prompt>(null!)).Build();

        Func<Task> act = async () => await rewriter.RewriteAsync(Sample);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Use returned a null prompt*");
    }

    [Fact]
    public void Build_FactoryReturnsNull_ThrowsNamingIndex()
    {
        PromptRewriterBuilder builder = new PromptRewriterBuilder()
            .Use(next => next)
            .Use(_ => null!);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("The PromptRewriterBuilder entry at index 1 returned null. Ensure that the callbacks passed to Use return non-null IPromptRewriter instances.");
    }

    [Fact]
    public void Build_InnerFactoryReturnsNull_ThrowsInvalidOperation()
    {
        var builder = new PromptRewriterBuilder(_ => null!);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*inner rewriter factory*returned null*");
    }

    [Fact]
    public void Build_InnerFactory_ReceivesServices()
    {
        var services = new FakeServiceProvider();
        IServiceProvider? seenByInner = null;
        IServiceProvider? seenByLayer = null;
        var builder = new PromptRewriterBuilder(sp =>
        {
            seenByInner = sp;
            return new RecordingPromptRewriter();
        }).Use((next, sp) =>
        {
            seenByLayer = sp;
            return next;
        });

        builder.Build(services);

        seenByInner.Should().BeSameAs(services);
        seenByLayer.Should().BeSameAs(services);
    }

    [Fact]
    public void Build_NoServices_FactoriesGetEmptyProvider()
    {
        IServiceProvider? seen = null;
        var builder = new PromptRewriterBuilder(sp =>
        {
            seen = sp;
            return new RecordingPromptRewriter();
        });

        builder.Build();

        seen.Should().NotBeNull();
        seen!.GetService(typeof(string)).Should().BeNull();
    }

    [Fact]
    public void Dispose_OutermostLayer_DisposesInner()
    {
        var inner = new RecordingPromptRewriter();
        IPromptRewriter rewriter = new PromptRewriterBuilder(inner).UseComponentFilter(PromptComponentKind.Summary).Use(Layer([], "x")).Build();

        rewriter.Dispose();

        inner.DisposeCount.Should().Be(1);
    }

    [Fact]
    public void Constructor_NullInnerRewriter_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptRewriterBuilder((IPromptRewriter)null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
    }

    [Fact]
    public void Constructor_NullInnerRewriterFactory_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptRewriterBuilder((Func<IServiceProvider, IPromptRewriter>)null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriterFactory");
    }

    [Fact]
    public void Use_NullArguments_ThrowWithParamName()
    {
        var builder = new PromptRewriterBuilder();

        builder.Invoking(b => b.Use((Func<IPromptRewriter, IPromptRewriter>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("rewriterFactory");
        builder.Invoking(b => b.Use((Func<IPromptRewriter, IServiceProvider, IPromptRewriter>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("rewriterFactory");
        builder.Invoking(b => b.Use((Func<Prompt, PromptRewriteContext?, IPromptRewriter, CancellationToken, ValueTask<Prompt>>)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("rewriteFunc");
    }

    [Fact]
    public async Task RewriteAsync_CanceledToken_ThrowsOperationCanceled()
    {
        IPromptRewriter rewriter = new PromptRewriterBuilder().Use((p, c, next, ct) => next.RewriteAsync(p, c, ct)).Build();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = async () => await rewriter.RewriteAsync(Sample, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task RewriteAsync_NullPrompt_ThrowsWithParamName()
    {
        IPromptRewriter rewriter = new PromptRewriterBuilder().Use((p, c, next, ct) => next.RewriteAsync(p, c, ct)).Build();

        Func<Task> act = async () => await rewriter.RewriteAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("prompt");
    }

    private static Func<IPromptRewriter, IPromptRewriter> Layer(List<string> log, string name) =>
        next => new LoggingRewriter(next, log, name);

    private sealed class LoggingRewriter(IPromptRewriter inner, List<string> log, string name) : DelegatingPromptRewriter(inner)
    {
        public override ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
        {
            log.Add(name);
            return base.RewriteAsync(prompt, context, cancellationToken);
        }
    }

    private sealed class FakeServiceProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
