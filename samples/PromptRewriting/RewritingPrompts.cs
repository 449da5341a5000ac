using System.Collections.Immutable;
using PromptKit;
using PromptKit.Lucene;
using PromptKit.Samples.Writing;
using PromptKit.Training;

namespace PromptKit.Samples.PromptRewriting;

/// <summary>Builds each author's original prompt with the library's personalized-generation pipeline: BM25-retrieved
/// past abstracts (Lucene), an extractive summary of the past, and a synthesis (TF-IDF keywords and a style line).</summary>
internal sealed class RewritingPrompts
{
    private readonly GenerationPromptComposer _composer;
    private readonly PromptPhrasing _phrasing;

    public RewritingPrompts(IReadOnlyList<ArxivAuthor> backgroundAuthors, PromptPhrasing phrasing)
    {
        // Keyword document frequencies come from the training authors' past abstracts only (never a target).
        var background = backgroundAuthors.SelectMany(a => a.Abstracts[..^1]).Select(d => d.Title + ". " + d.Text).ToList();
        _composer = new GenerationPromptComposer(new LuceneBm25Retriever(), new ExtractiveUserSummarizer(), new KeywordExtractor(background));
        _phrasing = phrasing;
    }

    public async Task<ImmutableArray<RewritingExample>> BuildAsync(IReadOnlyList<ArxivAuthor> authors, CancellationToken cancellationToken)
    {
        var examples = ImmutableArray.CreateBuilder<RewritingExample>(authors.Count);
        foreach (ArxivAuthor author in authors)
        {
            ArxivAbstract target = author.Abstracts[^1];
            UserDocument[] past = [.. author.Abstracts[..^1].Select(d => new UserDocument(d.DocumentId, d.Title, d.Text, d.Timestamp))];
            Prompt prompt = await _composer.ComposeAsync(author.UserId, target.Title, past, cancellationToken);
            examples.Add(new RewritingExample(author.UserId, _phrasing.Apply(prompt), [target.Text]));
        }

        return examples.MoveToImmutable();
    }
}
