using BenchmarkDotNet.Attributes;
using PromptKit.Lucene;

namespace PromptKit.Benchmarks;

/// <summary>
/// Renders one personalized generation prompt (Li et al. 2023's original prompt, from <see cref="GenerationPromptComposer"/>:
/// instruction, title, 3 retrieved abstracts, an extractive summary, 10 keywords and the style line) with
/// <see cref="Prompt.Render(PromptFormat?)"/>.
/// </summary>
public class PromptRenderBenchmark
{
    private Prompt _prompt = null!;

    /// <summary>Composes the prompt for one author's next paper (keyword document frequencies from the whole data set).</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        (IReadOnlyList<UserDocument> past, UserDocument next) = ArxivBenchmarkData.Author();
        var keywords = new KeywordExtractor([.. ArxivBenchmarkData.All.Select(d => d.Document.Title + ". " + d.Document.Text)]);
        var composer = new GenerationPromptComposer(new LuceneBm25Retriever(), new ExtractiveUserSummarizer(), keywords);
        _prompt = await composer.ComposeAsync(ArxivBenchmarkData.UserId, next.Title, past);
    }

    /// <summary>Renders the prompt as one text with the default format.</summary>
    [Benchmark(Baseline = true)]
    public string Render() => _prompt.Render();
}
