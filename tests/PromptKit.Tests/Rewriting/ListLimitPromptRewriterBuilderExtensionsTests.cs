namespace PromptKit.Tests.Rewriting;

public sealed class ListLimitPromptRewriterBuilderExtensionsTests
{
    [Fact]
    public async Task UseListLimit_AddsLimitLayer()
    {
        Prompt prompt = new PromptBuilder().AddHistory(["a", "b", "c"], isEditable: true).Build();
        using IPromptRewriter rewriter = new PromptRewriterBuilder()
            .UseListLimit(2, ListItemRetention.Last, PromptComponentKind.HistoryRecords)
            .Build();

        Prompt result = await rewriter.RewriteAsync(prompt);

        result["history"].Items.Should().Equal("b", "c");
        rewriter.GetService<ListLimitPromptRewriter>()!.MaxItems.Should().Be(2);
    }

    [Fact]
    public void UseListLimit_BadArguments_ThrowAtOnceWithParamName()
    {
        var builder = new PromptRewriterBuilder();

        ((Action)(() => ((PromptRewriterBuilder)null!).UseListLimit(1, ListItemRetention.First, PromptComponentKind.HistoryRecords)))
            .Should().Throw<ArgumentNullException>().WithParameterName("builder");
        builder.Invoking(b => b.UseListLimit(0, ListItemRetention.First, PromptComponentKind.HistoryRecords))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxItems");
        builder.Invoking(b => b.UseListLimit(1, (ListItemRetention)5, PromptComponentKind.HistoryRecords))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("retention");
        builder.Invoking(b => b.UseListLimit(1, ListItemRetention.First))
            .Should().Throw<ArgumentException>().WithParameterName("kinds");
        builder.Invoking(b => b.UseListLimit(1, ListItemRetention.First, null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("kinds");
    }
}
