namespace PromptKit.Tests.Rewriting;

public sealed class ComponentFilterPromptRewriterTests
{
    private static readonly Prompt Personalized = new PromptBuilder()
        .AddInstruction("Write the user's next review.")
        .AddRetrievedEntries(["Great phone.", "Battery died."])
        .AddSummary("The user reviews gadgets.")
        .AddSynthesis(["battery", "screen"])
        .AddSummary("A fixed summary.", name: "fixedSummary", isEditable: false)
        .Build();

    [Fact]
    public async Task RewriteAsync_EditableSummary_RemovedAndPassedToInner()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new ComponentFilterPromptRewriter(inner, [PromptComponentKind.Summary]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result.Components.Select(c => c.Name).Should().Equal("instruction", "retrieved", "synthesis", "fixedSummary");
        inner.Received.Should().ContainSingle().Which.Should().BeSameAs(result);
    }

    [Fact]
    public async Task RewriteAsync_FixedComponentOfListedKind_Kept()
    {
        using var rewriter = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), [PromptComponentKind.Instruction, PromptComponentKind.RetrievedEntries]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result.Should().BeSameAs(Personalized);
    }

    [Fact]
    public async Task RewriteAsync_SeveralKinds_RemovesEach()
    {
        using var rewriter = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), [PromptComponentKind.Synthesis, PromptComponentKind.Summary]);

        Prompt result = await rewriter.RewriteAsync(Personalized);

        result.Components.Select(c => c.Name).Should().Equal("instruction", "retrieved", "fixedSummary");
    }

    [Fact]
    public async Task RewriteAsync_EveryComponentRemoved_PassesEmptyPrompt()
    {
        Prompt prompt = new PromptBuilder().AddSummary("only this").Build();
        using var rewriter = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), [PromptComponentKind.Summary]);

        Prompt result = await rewriter.RewriteAsync(prompt);

        result.Count.Should().Be(0);
    }

    [Fact]
    public void Kinds_RepeatedKinds_KeptOnceInOrder()
    {
        using var rewriter = new ComponentFilterPromptRewriter(
            new RecordingPromptRewriter(), [PromptComponentKind.Synthesis, PromptComponentKind.Summary, PromptComponentKind.Synthesis]);

        rewriter.Kinds.Should().Equal(PromptComponentKind.Synthesis, PromptComponentKind.Summary);
    }

    [Fact]
    public async Task RewriteAsync_CanceledToken_ThrowsWithoutCallingInner()
    {
        var inner = new RecordingPromptRewriter();
        using var rewriter = new ComponentFilterPromptRewriter(inner, [PromptComponentKind.Summary]);

        Func<Task> act = async () => await rewriter.RewriteAsync(Personalized, cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task RewriteAsync_NullPrompt_ThrowsWithParamName()
    {
        using var rewriter = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), [PromptComponentKind.Summary]);

        Func<Task> act = async () => await rewriter.RewriteAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("prompt");
    }

    [Fact]
    public void Constructor_NullArguments_ThrowWithParamName()
    {
        Action nullInner = () => _ = new ComponentFilterPromptRewriter(null!, [PromptComponentKind.Summary]);
        Action nullKinds = () => _ = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), null!);

        nullInner.Should().Throw<ArgumentNullException>().WithParameterName("innerRewriter");
        nullKinds.Should().Throw<ArgumentNullException>().WithParameterName("kinds");
    }

    [Fact]
    public void Constructor_NoKinds_ThrowsWithParamName()
    {
        Action act = () => _ = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), []);

        act.Should().Throw<ArgumentException>().WithParameterName("kinds").WithMessage("No component kind*");
    }

    [Fact]
    public void Constructor_UndefinedKind_ThrowsWithParamName()
    {
        Action act = () => _ = new ComponentFilterPromptRewriter(new RecordingPromptRewriter(), [(PromptComponentKind)99]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kinds");
    }
}
