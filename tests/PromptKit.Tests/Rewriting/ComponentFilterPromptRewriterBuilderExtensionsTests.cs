namespace PromptKit.Tests.Rewriting;

public sealed class ComponentFilterPromptRewriterBuilderExtensionsTests
{
    [Fact]
    public async Task UseComponentFilter_AddsFilterLayer()
    {
        Prompt prompt = new PromptBuilder().AddInstruction("Write.").AddSummary("noise").Build();
        using IPromptRewriter rewriter = new PromptRewriterBuilder().UseComponentFilter(PromptComponentKind.Summary).Build();

        Prompt result = await rewriter.RewriteAsync(prompt);

        result.Contains("summary").Should().BeFalse();
        rewriter.GetService<ComponentFilterPromptRewriter>()!.Kinds.Should().Equal(PromptComponentKind.Summary);
    }

    [Fact]
    public void UseComponentFilter_BadArguments_ThrowAtOnceWithParamName()
    {
        Action nullBuilder = () => ((PromptRewriterBuilder)null!).UseComponentFilter(PromptComponentKind.Summary);
        Action nullKinds = () => new PromptRewriterBuilder().UseComponentFilter(null!);
        Action noKinds = () => new PromptRewriterBuilder().UseComponentFilter();
        Action undefinedKind = () => new PromptRewriterBuilder().UseComponentFilter((PromptComponentKind)(-1));

        nullBuilder.Should().Throw<ArgumentNullException>().WithParameterName("builder");
        nullKinds.Should().Throw<ArgumentNullException>().WithParameterName("kinds");
        noKinds.Should().Throw<ArgumentException>().WithParameterName("kinds");
        undefinedKind.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("kinds");
    }
}
