namespace PromptKit.Tests.Generation;

public sealed class KeywordExtractorTests
{
    private static readonly string[] Background =
    [
        "We study neural networks for image classification.",
        "Neural networks are trained with gradient descent.",
        "A study of graph algorithms.",
        "Graph neural networks for molecules.",
    ];

    [Fact]
    public void Extract_StopWordsAndShortTokens_AreNeverKeywords()
    {
        var extractor = new KeywordExtractor(Background);

        var keywords = extractor.Extract(["The and of we our it is a x 42 to be or not to be."], count: 20);

        keywords.Should().BeEmpty();
    }

    [Fact]
    public void Extract_RareTermsOutrankCommonOnes_AndBigramsAreAdjacentContentWords()
    {
        var extractor = new KeywordExtractor(Background);

        var keywords = extractor.Extract(["Neural networks on quantum hardware; quantum hardware is new."], count: 20);

        keywords.Take(3).Should().Equal("quantum", "hardware", "quantum hardware");
        keywords.Should().Contain("neural networks").And.NotContain("networks quantum").And.NotContain("hardware quantum");
    }

    [Fact]
    public void Extract_Ties_BrokenByFirstOccurrence()
    {
        var extractor = new KeywordExtractor([]);

        var keywords = extractor.Extract(["zeta alpha", "beta"], count: 10);

        keywords.Should().Equal("zeta", "alpha", "zeta alpha", "beta");
    }

    [Fact]
    public void Extract_IsDeterministic_AndHonoursCount()
    {
        var background = TestUtilities.ArxivSample.All.Select(d => d.Title + ". " + d.Text).ToArray();
        var texts = TestUtilities.ArxivSample.ByUser[TestUtilities.ArxivSample.PuigId].Select(d => d.Text).ToArray();

        var first = new KeywordExtractor(background).Extract(texts, count: 10);
        var second = new KeywordExtractor(background.Reverse().ToArray()).Extract(texts, count: 10);

        first.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.Equal(second);
        first.Should().Contain("frobenius");
        first.Should().OnlyContain(k => !k.Any(char.IsUpper));
    }

    [Fact]
    public void InverseDocumentFrequency_MatchesSmoothedFormula()
    {
        var extractor = new KeywordExtractor(Background);

        extractor.DocumentCount.Should().Be(4);
        extractor.InverseDocumentFrequency("neural networks").Should().BeApproximately(Math.Log(5.0 / 4.0) + 1.0, 1e-12);
        extractor.InverseDocumentFrequency("unseen").Should().BeApproximately(Math.Log(5.0) + 1.0, 1e-12);
    }

    [Fact]
    public void Arguments_Invalid_ThrowWithParamName()
    {
        var extractor = new KeywordExtractor(Background);

        FluentActions.Invoking(() => new KeywordExtractor(null!)).Should().Throw<ArgumentNullException>().WithParameterName("backgroundDocuments");
        FluentActions.Invoking(() => new KeywordExtractor([null!])).Should().Throw<ArgumentException>().WithParameterName("backgroundDocuments");
        FluentActions.Invoking(() => extractor.Extract(null!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("texts");
        FluentActions.Invoking(() => extractor.Extract(["a", null!], 1)).Should().Throw<ArgumentException>().WithParameterName("texts");
        FluentActions.Invoking(() => extractor.Extract(["a"], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }
}
