using System.Collections.Immutable;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace PromptKit.Lucene;

/// <summary>An <see cref="IDocumentRetriever"/> that ranks documents by BM25 with Lucene.NET, over an in-memory index.</summary>
/// <remarks>
/// <para>Each call indexes the given documents in a fresh in-memory directory: one field holding the title, a line
/// break and the text, analyzed with Lucene's <c>EnglishAnalyzer</c> (standard tokenizer, possessive filter, lower
/// case, English stop words, Porter stemming). The query is analyzed the same way and its terms become a disjunction of
/// term queries (a term that occurs several times is boosted by its count). No query syntax is parsed, so any text is
/// safe: quotes, colons, brackets, <c>AND</c>/<c>OR</c>/<c>NOT</c>, wildcards and backslashes are just text. At most
/// 1,024 distinct query terms (Lucene's clause limit) are used, the first ones in the query.</para>
/// <para>Scoring is <c>BM25Similarity(k1, b)</c>. Documents with no query term score nothing and are left out; the
/// others come back by descending score, equal scores in input order. A query with no terms after analysis (empty, or
/// only stop words and punctuation) returns no documents.</para>
/// <para>The retriever keeps no state between calls and is thread-safe. Lucene's <c>IndexWriter</c> looks for an existing
/// index when it opens the fresh directory, so each call raises and handles two first-chance exceptions inside Lucene
/// (<c>FileNotFoundException</c> for <c>segments.gen</c>, <c>IndexNotFoundException</c>); they never reach the caller.</para>
/// </remarks>
public sealed class LuceneBm25Retriever : IDocumentRetriever
{
    private const string BodyField = "body";
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly float _k1;
    private readonly float _b;

    /// <summary>Initializes a new instance of the <see cref="LuceneBm25Retriever"/> class.</summary>
    /// <param name="options">The options, or <see langword="null"/> for Lucene's defaults (k1 = 1.2, b = 0.75). They are copied.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; every failure is listed.</exception>
    public LuceneBm25Retriever(LuceneBm25RetrieverOptions? options = null)
    {
        options ??= new LuceneBm25RetrieverOptions();
        LuceneBm25RetrieverOptionsValidator.ThrowIfInvalid(options);
        _k1 = options.K1;
        _b = options.B;
    }

    /// <inheritdoc />
    public ValueTask<ImmutableArray<UserDocument>> RetrieveAsync(
        string query,
        IReadOnlyList<UserDocument> documents,
        int count,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        for (int i = 0; i < documents.Count; i++)
        {
            if (documents[i] is null)
            {
                throw new ArgumentException($"The document at index {i} is null.", nameof(documents));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (documents.Count == 0)
        {
            return ValueTask.FromResult(ImmutableArray<UserDocument>.Empty);
        }

        using Analyzer analyzer = new EnglishAnalyzer(Version);
        Query? luceneQuery = BuildQuery(analyzer, query);
        if (luceneQuery is null)
        {
            return ValueTask.FromResult(ImmutableArray<UserDocument>.Empty);
        }

        var similarity = new BM25Similarity(_k1, _b);
        using var directory = new RAMDirectory();
        // No merges: document ids then follow the order of AddDocument calls, so a hit's id is its index in the input.
        var config = new IndexWriterConfig(Version, analyzer) { Similarity = similarity, MergePolicy = NoMergePolicy.NO_COMPOUND_FILES };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (UserDocument document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.AddDocument(new LuceneDocument { new TextField(BodyField, document.Title + "\n" + document.Text, Field.Store.NO) });
            }

            writer.Commit();
        }

        cancellationToken.ThrowIfCancellationRequested();
        using DirectoryReader reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = similarity };
        TopDocs top = searcher.Search(luceneQuery, documents.Count);

        var hits = new List<(int Index, float Score)>(top.ScoreDocs.Length);
        foreach (ScoreDoc hit in top.ScoreDocs)
        {
            if (hit.Score > 0f)
            {
                hits.Add((hit.Doc, hit.Score));
            }
        }

        hits.Sort(static (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Index.CompareTo(y.Index));
        int n = Math.Min(count, hits.Count);
        var result = ImmutableArray.CreateBuilder<UserDocument>(n);
        for (int i = 0; i < n; i++)
        {
            result.Add(documents[hits[i].Index]);
        }

        return ValueTask.FromResult(result.MoveToImmutable());
    }

    private static BooleanQuery? BuildQuery(Analyzer analyzer, string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        using (TokenStream stream = analyzer.GetTokenStream(BodyField, text))
        {
            ICharTermAttribute term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                string value = term.ToString();
                if (counts.TryGetValue(value, out int seen))
                {
                    counts[value] = seen + 1;
                }
                else if (order.Count < BooleanQuery.MaxClauseCount)
                {
                    counts.Add(value, 1);
                    order.Add(value);
                }
            }

            stream.End();
        }

        if (order.Count == 0)
        {
            return null;
        }

        var query = new BooleanQuery(disableCoord: true);
        foreach (string value in order)
        {
            query.Add(new TermQuery(new Term(BodyField, value)) { Boost = counts[value] }, Occur.SHOULD);
        }

        return query;
    }
}
