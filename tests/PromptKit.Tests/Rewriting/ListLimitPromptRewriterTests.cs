namespace PromptKit.Tests.Rewriting;

public sealed class ListLimitPromptRewriterTests
{
    private static readonly Prompt Personalized = new PromptBuilder()
        .AddInstruction("Recommend a movie.")
        .AddHistory(["h1", "h2", "h3", "h4"], isEditable: true)
        .AddRetrievedEntries(["r1", "r2", "r3"], isEditable: true)
        .AddExamples(["e1", "e2", "e3"], isEditable: true)
        .Build();

    [Fact]
    public async Task RewriteAsync_KeepLast_KeepsMostRecentInOrder()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new ListLimitPromptRewriter(inner, 2, ListItemRetention.Last, [PromptComponentKind.HistoryRecords]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result["history"].Items.Should().Equal("h3", "h4");
        result["retrieved"].Should().BeSameAs(Personalized["retrieved"]);
        inner.Received.Should().ContainSingle().Which.Should().BeSameAs(result);
    }

    [Fact]
    public async Task RewriteAsync_KeepFirst_KeepsLeadingItems()
    {
        using var rewriter = new ListLimitPromptRewriter(
            new RecordingPromptRewriter(), 1, ListItemRetention.First, [PromptComponentKind.HistoryRecords, PromptComponentKind.RetrievedEntries]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result["history"].Items.Should().Equal("h1");
        result["retrieved"].Items.Should().Equal("r1");
        result["examples"].Items.Should().HaveCount(3);
    }

    [Fact]
    public async Task RewriteAsync_ShortenedComponent_KeepsOtherProperties()
    {
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 2, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result["history"].Should().Be(Personalized["history"].WithItems(["h1", "h2"]));
        result.Components.Select(c => c.Name).Should().Equal(Personalized.Components.Select(c => c.Name));
    }

    [Fact]
    public async Task RewriteAsync_FixedList_LeftAlone()
    {
        Prompt prompt = new PromptBuilder().AddHistory(["h1", "h2", "h3"]).Build();
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, ListItemRetention.Last, [PromptComponentKind.HistoryRecords]);

        Prompt result = await rewriter.RewriteAsync(prompt);

        result.Should().BeSameAs(prompt);
    }

    [Theory, InlineData(4), InlineData(10)]
    public async Task RewriteAsync_NotMoreThanMax_SamePrompt(int maxItems)
    {
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), maxItems, ListItemRetention.Last, [PromptComponentKind.HistoryRecords]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result.Should().BeSameAs(Personalized);
    }

    [Fact]
    public async Task RewriteAsync_TextComponentOfListedKind_LeftAlone()
    {
        Prompt prompt = new PromptBuilder()
            .Add(PromptComponent.FromText(PromptComponentKind.HistoryRecords, "a long free-text history", isEditable: true))
            .Build();
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        Prompt result = await rewriter.RewriteAsync(prompt);

        result.Should().BeSameAs(prompt);
    }

    [Fact]
    public async Task RewriteAsync_CanceledToken_ThrowsWithoutCallingInner()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new ListLimitPromptRewriter(inner, 1, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        Func<Task> act = async () => await rewriter.RewriteAsync(Personalized, cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task RewriteAsync_NullPrompt_ThrowsWithParamName()
    {
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        Func<Task> act = async () => await rewriter.RewriteAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("prompt");
    }

    [Fact]
    public void Properties_ReflectConstructorArguments()
    {
        using var rewriter = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 3, ListItemRetention.Last, [PromptComponentKind.RetrievedEntries]);

        rewriter.MaxItems.Should().Be(3);
        rewriter.Retention.Should().Be(ListItemRetention.Last);
        rewriter.Kinds.Should().Equal(PromptComponentKind.RetrievedEntries);
    }

    [Theory, InlineData(0), InlineData(-1)]
    public void Constructor_NonPositiveMaxItems_ThrowsWithParamName(int maxItems)
    {
        Action act = () => _ = new ListLimitPromptRewriter(new RecordingPromptRewriter(), maxItems, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxItems");
    }

    [Fact]
    public void Constructor_UndefinedRetention_ThrowsWithParamName()
    {
        Action act = () => _ = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, (ListItemRetention)7, [PromptComponentKind.HistoryRecords]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("retention");
    }

    [Fact]
    public void Constructor_BadKinds_ThrowWithParamName()
    {
        Action nullKinds = () => _ = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, ListItemRetention.First, null!);
        Action noKinds = () => _ = new ListLimitPromptRewriter(new RecordingPromptRewriter(), 1, ListItemRetention.First, []);
        Action nullInner = () => _ = new ListLimitPromptRewriter(null!, 1, ListItemRetention.First, [PromptComponentKind.HistoryRecords]);

        nullKinds.Should().Throw<ArgumentNullException>().WithParameterName("kinds");
        noKinds.Should().Throw<ArgumentException>().WithParameterName("kinds");
        nullInner.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
    }
}
