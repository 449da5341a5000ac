namespace PromptKit.Tests.Generation;

public sealed class WritingStyleTests
{
    [Fact]
    public void Describe_FirstPersonPluralWithFormulas_NamesEveryMeasure()
    {
        UserDocument[] past =
        [
            Doc("We study A. We prove B. Our result holds."),
            Doc("We show $x=1$. It is new."),
            Doc("In this note we consider C. The proof is short. We conclude."),
        ];

        string line = WritingStyle.Describe(past);

        line.Should().Be("Writes abstracts of about 3 sentences and 9 words, in the first person plural (\"we\"), with formulas in about 13% of sentences, often opening with \"We\".");
    }

    [Fact]
    public void Describe_ImpersonalWithoutFormulas_SaysSo()
    {
        string line = WritingStyle.Describe([Doc("This paper studies groups."), Doc("This note proves a bound.")]);

        line.Should().Be("Writes abstracts of about 1 sentence and 5 words, in an impersonal voice, often opening with \"This\".");
    }

    [Fact]
    public void Describe_OneDocumentInFirstPersonSingular_OpensWithItsFirstWord()
    {
        string line = WritingStyle.Describe([Doc("I prove it.")]);

        line.Should().Be("Writes abstracts of about 1 sentence and 3 words, in the first person singular (\"I\"), opening with \"I\".");
    }

    [Fact]
    public void Describe_VariedOpeningsAndRareFormulas_AndLongAbstractsRoundedToTens()
    {
        string filler = string.Join(' ', Enumerable.Repeat("Results are reported here.", 5));
        UserDocument[] past =
        [
            Doc("Alpha words follow. " + filler + " " + filler + " It uses $x$."),
            Doc("Beta words follow. " + filler + " " + filler + " " + filler),
            Doc("Gamma words follow. " + filler + " " + filler + " " + filler + " " + filler),
        ];

        string line = WritingStyle.Describe(past);

        line.Should().Be("Writes abstracts of about 16 sentences and 60 words, in an impersonal voice, rarely with formulas, with varied openings.");
    }

    [Fact]
    public void Describe_RealAuthor_DescribesLengthVoiceAndOpening()
    {
        string line = WritingStyle.Describe(TestUtilities.ArxivSample.ByUser[TestUtilities.ArxivSample.PuigId]);

        line.Should().StartWith("Writes abstracts of about ").And.EndWith(".").And.NotContain("\n");
    }

    [Fact]
    public void Describe_InvalidArguments_ThrowWithParamName()
    {
        FluentActions.Invoking(() => WritingStyle.Describe(null!)).Should().Throw<ArgumentNullException>().WithParameterName("pastDocuments");
        FluentActions.Invoking(() => WritingStyle.Describe([])).Should().Throw<ArgumentException>().WithParameterName("pastDocuments");
        FluentActions.Invoking(() => WritingStyle.Describe([null!])).Should().Throw<ArgumentException>().WithParameterName("pastDocuments");
    }

    private static UserDocument Doc(string text) => new(Guid.NewGuid().ToString("N"), "Title", text, DateTimeOffset.UnixEpoch);
}
