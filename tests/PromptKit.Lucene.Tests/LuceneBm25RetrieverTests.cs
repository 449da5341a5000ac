using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using PromptKit.TestUtilities;

namespace PromptKit.Lucene.Tests;

public sealed class LuceneBm25RetrieverTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.UnixEpoch;

    private static readonly UserDocument[] Documents =
    [
        new("0", "Graph coloring", "We color planar graphs with four colors.", Time),
        new("1", "Quantum walks", "Quantum walks on graphs and their mixing times.", Time),
        new("2", "Cooking", "A recipe for bread.", Time),
        new("3", "Quantum computing", "Quantum algorithms for quantum chemistry, quantum advantage.", Time),
    ];

    [Fact]
    public async Task RetrieveAsync_RanksByBm25_AndLeavesNonMatchingOut()
    {
        var retriever = new LuceneBm25Retriever();

        ImmutableArray<UserDocument> hits = await retriever.RetrieveAsync("quantum graphs", Documents, count: 10);

        hits.Select(d => d.Id).Should().Equal("1", "3", "0");
    }

    [Fact]
    public async Task RetrieveAsync_Count_LimitsTheResult()
    {
        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync("quantum", Documents, count: 1);

        hits.Select(d => d.Id).Should().Equal("3");
    }

    [Fact]
    public async Task RetrieveAsync_EqualScores_KeepInputOrder()
    {
        UserDocument[] twins = [.. Enumerable.Range(0, 6).Select(i => new UserDocument($"d{i}", "Same title", "Identical text about lattices.", Time))];

        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync("lattices", twins, count: 4);

        hits.Select(d => d.Id).Should().Equal("d0", "d1", "d2", "d3");
    }

    [Fact]
    public async Task RetrieveAsync_StemsWithTheEnglishAnalyzer()
    {
        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync("colorings", Documents, count: 3);

        hits.Select(d => d.Id).Should().Equal("0");
    }

    [Theory]
    [InlineData("\"quantum")]
    [InlineData("title:quantum AND (walks")]
    [InlineData("quantum~ [1 TO 5] {x} OR NOT + - && || ! ^ * ? \\ /")]
    [InlineData("quantum\" AND body:\"walks")]
    public async Task RetrieveAsync_HostileQueryText_IsTreatedAsText(string query)
    {
        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync(query, Documents, count: 10);

        hits.Should().NotBeEmpty();
        hits.Select(d => d.Id).Should().NotContain("2");
    }

    [Theory, InlineData(""), InlineData("   "), InlineData("the and of"), InlineData("!!! ??? :::")]
    public async Task RetrieveAsync_QueryWithoutTerms_ReturnsNothing(string query)
    {
        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync(query, Documents, count: 3);

        hits.Should().BeEmpty();
    }

    [Fact]
    public async Task RetrieveAsync_NoDocuments_ReturnsNothing()
    {
        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync("quantum", [], count: 3);

        hits.Should().BeEmpty();
    }

    [Fact]
    public async Task RetrieveAsync_RealAbstracts_FindsTheAuthorsOwnTopic()
    {
        IReadOnlyList<UserDocument> all = ArxivSample.All;

        ImmutableArray<UserDocument> hits = await new LuceneBm25Retriever().RetrieveAsync("Menger property of function spaces", all, count: 3);

        hits.Should().HaveCount(3);
        hits.Should().OnlyContain(d => ArxivSample.ByUser[ArxivSample.OsipovId].Contains(d));
    }

    [Fact]
    public async Task RetrieveAsync_ConcurrentCalls_GiveTheSameResults()
    {
        var retriever = new LuceneBm25Retriever();
        ImmutableArray<UserDocument> expected = await retriever.RetrieveAsync("Frobenius category", ArxivSample.All, count: 5);

        ImmutableArray<UserDocument>[] results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(async () => await retriever.RetrieveAsync("Frobenius category", ArxivSample.All, count: 5))));

        results.Should().AllSatisfy(r => r.Should().Equal(expected));
    }

    [Fact]
    public async Task RetrieveAsync_Options_ChangeTheRanking()
    {
        UserDocument[] documents =
        [
            new("long", "t", "lattice " + string.Join(' ', Enumerable.Repeat("filler words here", 30)) + " lattice lattice", Time),
            new("short", "t", "lattice", Time),
        ];

        ImmutableArray<UserDocument> normalized = await new LuceneBm25Retriever().RetrieveAsync("lattice", documents, count: 2);
        ImmutableArray<UserDocument> unnormalized = await new LuceneBm25Retriever(new LuceneBm25RetrieverOptions { B = 0f }).RetrieveAsync("lattice", documents, count: 2);

        normalized.Select(d => d.Id).Should().Equal("short", "long");
        unnormalized.Select(d => d.Id).Should().Equal("long", "short");
    }

    [Fact]
    public async Task RetrieveAsync_InvalidArguments_ThrowWithParamName()
    {
        var retriever = new LuceneBm25Retriever();

        await FluentActions.Awaiting(() => retriever.RetrieveAsync(null!, Documents, 1).AsTask()).Should().ThrowAsync<ArgumentNullException>().WithParameterName("query");
        await FluentActions.Awaiting(() => retriever.RetrieveAsync("q", null!, 1).AsTask()).Should().ThrowAsync<ArgumentNullException>().WithParameterName("documents");
        await FluentActions.Awaiting(() => retriever.RetrieveAsync("q", [null!], 1).AsTask()).Should().ThrowAsync<ArgumentException>().WithParameterName("documents");
        await FluentActions.Awaiting(() => retriever.RetrieveAsync("q", Documents, 0).AsTask()).Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("count");
    }

    [Fact]
    public async Task RetrieveAsync_Canceled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = () => new LuceneBm25Retriever().RetrieveAsync("quantum", Documents, 1, cts.Token).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryFailure()
    {
        Action act = () => _ = new LuceneBm25Retriever(new LuceneBm25RetrieverOptions { K1 = -1f, B = 2f });

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }
}
