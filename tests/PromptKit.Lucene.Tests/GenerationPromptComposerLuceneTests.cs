using PromptKit.TestUtilities;

namespace PromptKit.Lucene.Tests;

/// <summary>The original prompt end to end: BM25 retrieval, the extractive summary, keywords and style over real abstracts.</summary>
public sealed class GenerationPromptComposerLuceneTests
{
    [Fact]
    public async Task ComposeAsync_RealAuthor_RetrievesOnTopicAbstracts_AndRendersEveryPart()
    {
        IReadOnlyList<UserDocument> history = ArxivSample.ByUser[ArxivSample.PuigId];
        UserDocument next = history[^1];
        UserDocument[] past = [.. history.Take(history.Count - 1)];
        var composer = new GenerationPromptComposer(
            new LuceneBm25Retriever(),
            new ExtractiveUserSummarizer(),
            new KeywordExtractor([.. ArxivSample.All.Select(d => d.Title + ". " + d.Text)]));

        Prompt prompt = await composer.ComposeAsync(ArxivSample.PuigId, next.Title, past);
        string rendered = prompt.Render();

        prompt["retrieved"].Items.Should().HaveCount(3).And.OnlyContain(e => e.Contains("locality", StringComparison.OrdinalIgnoreCase));
        prompt["synthesis"].Items.Should().HaveCount(11);
        rendered.Should().Contain(next.Title).And.Contain(prompt["summary"].Text).And.Contain(prompt["synthesis"].Items[^1]);
        rendered.Should().NotContain(next.Text);
    }
}
