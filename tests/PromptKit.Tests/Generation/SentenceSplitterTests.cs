namespace PromptKit.Tests.Generation;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("We study X. It works! Does it? Yes.", new[] { "We study X.", "It works!", "Does it?", "Yes." })]
    [InlineData("Methods, e.g. Lasso, help. Next.", new[] { "Methods, e.g. Lasso, help.", "Next." })]
    [InlineData("As shown by Smith et al. The bound holds.", new[] { "As shown by Smith et al. The bound holds." })]
    [InlineData("The value is 3.14 here. Then 2.5.", new[] { "The value is 3.14 here.", "Then 2.5." })]
    [InlineData("See Fig. 2 for details. Done.", new[] { "See Fig. 2 for details.", "Done." })]
    [InlineData("Written by A. I. Zenchuk. Next one.", new[] { "Written by A. I. Zenchuk.", "Next one." })]
    [InlineData("Let G be a group of order n. We show G. It is finite.", new[] { "Let G be a group of order n.", "We show G.", "It is finite." })]
    [InlineData("Let $x = 1. Y$ hold. Then $$a. B$$ too. End.", new[] { "Let $x = 1. Y$ hold.", "Then $$a. B$$ too.", "End." })]
    [InlineData("It ends (see below.) Next.", new[] { "It ends (see below.)", "Next." })]
    [InlineData("In 1987 A.V. Pestriakov proved it, i.e. Lj.D.R. Kocinac too. Next.", new[] { "In 1987 A.V. Pestriakov proved it, i.e. Lj.D.R. Kocinac too.", "Next." })]
    [InlineData("In Progress in Math. 274, we did. Is n = 2, 3, ... ? No.", new[] { "In Progress in Math. 274, we did.", "Is n = 2, 3, ... ?", "No." })]
    [InlineData("no capital. still one sentence", new[] { "no capital. still one sentence" })]
    [InlineData("First part\n\nSecond part", new[] { "First part", "Second part" })]
    [InlineData("  Spaces \n  inside   here.  ", new[] { "Spaces inside here." })]
    [InlineData("Trailing text without a mark", new[] { "Trailing text without a mark" })]
    public void Split_Cases_ReturnsExpectedSentences(string text, string[] expected) =>
        SentenceSplitter.Split(text).Should().Equal(expected);

    [Theory, InlineData(""), InlineData("   \n ")]
    public void Split_EmptyOrWhiteSpace_ReturnsNoSentences(string text) => SentenceSplitter.Split(text).Should().BeEmpty();

    [Fact]
    public void Split_UnclosedDollar_RunsToTheEnd() =>
        SentenceSplitter.Split("Costs $5. Then more. End.").Should().Equal("Costs $5. Then more. End.");

    [Fact]
    public void Split_Null_ThrowsWithParamName()
    {
        Action act = () => SentenceSplitter.Split(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("text");
    }

    [Fact]
    public void Split_RealAbstracts_EverySentenceEndsWithAMarkOrIsTheLast()
    {
        foreach (UserDocument document in TestUtilities.ArxivSample.All)
        {
            var sentences = SentenceSplitter.Split(document.Text);

            sentences.Should().NotBeEmpty();
            string.Join(' ', sentences).Should().Be(string.Join(' ', document.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        }
    }
}
