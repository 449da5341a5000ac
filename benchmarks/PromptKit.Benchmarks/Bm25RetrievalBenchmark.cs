using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using PromptKit.Lucene;

namespace PromptKit.Benchmarks;

/// <summary>
/// One BM25 retrieval with <see cref="LuceneBm25Retriever"/>: the top 3 of one author's 14 past arXiv abstracts for the
/// title of their next paper. Each call builds its in-memory index, so the figure is the whole per-prompt cost.
/// </summary>
public class Bm25RetrievalBenchmark
{
    private readonly LuceneBm25Retriever _retriever = new();
    private IReadOnlyList<UserDocument> _past = [];
    private string _query = string.Empty;

    /// <summary>Loads the author's past abstracts and the next title.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_past, UserDocument next) = ArxivBenchmarkData.Author();
        _query = next.Title;
    }

    /// <summary>Retrieves the 3 most relevant past abstracts.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<ImmutableArray<UserDocument>> Retrieve() => _retriever.RetrieveAsync(_query, _past, count: 3);
}
