using Microsoft.Extensions.Options;
using PromptKit.TestUtilities;

namespace PromptKit.Tests.Generation;

public sealed class ExtractiveUserSummarizerTests
{
    [Fact]
    public async Task SummarizeAsync_DefaultOptions_ReturnsFourSentencesOfThePastDocuments()
    {
        IReadOnlyList<UserDocument> past = ArxivSample.ByUser[ArxivSample.PuigId];
        var allSentences = past.SelectMany(d => SentenceSplitter.Split(d.Text)).ToHashSet(StringComparer.Ordinal);

        string summary = await new ExtractiveUserSummarizer().SummarizeAsync(past);

        var sentences = SentenceSplitter.Split(summary);
        sentences.Should().HaveCount(4).And.OnlyHaveUniqueItems();
        sentences.Should().OnlyContain(s => allSentences.Contains(s));
    }

    [Theory, InlineData(1), InlineData(2), InlineData(7)]
    public async Task SummarizeAsync_SentenceCount_IsHonoured(int count)
    {
        var summarizer = new ExtractiveUserSummarizer(new ExtractiveUserSummarizerOptions { SentenceCount = count });

        string summary = await summarizer.SummarizeAsync(ArxivSample.ByUser[ArxivSample.OsipovId]);

        SentenceSplitter.Split(summary).Should().HaveCount(count);
    }

    [Fact]
    public async Task SummarizeAsync_IsDeterministic_AndIndependentOfInputOrder()
    {
        IReadOnlyList<UserDocument> past = ArxivSample.ByUser[ArxivSample.OsipovId];
        var summarizer = new ExtractiveUserSummarizer();
        var shuffled = past.ToArray();
        new Random(7).Shuffle(shuffled);

        string first = await summarizer.SummarizeAsync(past);
        string second = await summarizer.SummarizeAsync(past);
        string third = await summarizer.SummarizeAsync(shuffled);

        second.Should().Be(first);
        third.Should().Be(first);
    }

    [Fact]
    public async Task SummarizeAsync_PicksCentralSentences_InChronologicalOrder()
    {
        UserDocument[] past =
        [
            new("b", "t", "Graph coloring bounds for planar graphs. The weather was nice.", new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new("a", "t", "Planar graph coloring is studied. Lunch was late.", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new("c", "t", "New coloring bounds for planar graphs.", new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        ];
        var summarizer = new ExtractiveUserSummarizer(new ExtractiveUserSummarizerOptions { SentenceCount = 3, MaxSimilarity = 1.0 });

        string summary = await summarizer.SummarizeAsync(past);

        summary.Should().Be("Planar graph coloring is studied. Graph coloring bounds for planar graphs. New coloring bounds for planar graphs.");
    }

    [Fact]
    public async Task SummarizeAsync_NearDuplicates_ArePassedOverWhileOthersRemain()
    {
        UserDocument[] past =
        [
            new("a", "t", "For a Tychonoff space X, we denote by C(X) the space of functions. We study Menger spaces.", DateTimeOffset.UnixEpoch),
            new("b", "t", "For a Tychonoff space X, we denote by B(X) the space of functions. We study Hurewicz spaces.", DateTimeOffset.UnixEpoch),
            new("c", "t", "For a Tychonoff space X, we denote by P(X) the space of functions. Selectors of dense sets.", DateTimeOffset.UnixEpoch),
        ];

        string withCheck = await new ExtractiveUserSummarizer(new ExtractiveUserSummarizerOptions { SentenceCount = 2 }).SummarizeAsync(past);
        string withoutCheck = await new ExtractiveUserSummarizer(new ExtractiveUserSummarizerOptions { SentenceCount = 2, MaxSimilarity = 1.0 }).SummarizeAsync(past);

        SentenceSplitter.Split(withoutCheck).Should().OnlyContain(s => s.StartsWith("For a Tychonoff space", StringComparison.Ordinal));
        SentenceSplitter.Split(withCheck).Count(s => s.StartsWith("For a Tychonoff space", StringComparison.Ordinal)).Should().Be(1);
        SentenceSplitter.Split(withCheck).Should().HaveCount(2);
    }

    [Fact]
    public async Task SummarizeAsync_FewerSentencesThanRequested_ReturnsAllOnce()
    {
        UserDocument[] past = [new("a", "t", "Only one sentence. Only one sentence.", DateTimeOffset.UnixEpoch)];

        string summary = await new ExtractiveUserSummarizer().SummarizeAsync(past);

        summary.Should().Be("Only one sentence.");
    }

    [Fact]
    public async Task SummarizeAsync_InvalidArguments_ThrowWithParamName()
    {
        var summarizer = new ExtractiveUserSummarizer();

        await FluentActions.Awaiting(() => summarizer.SummarizeAsync(null!).AsTask()).Should().ThrowAsync<ArgumentNullException>().WithParameterName("pastDocuments");
        await FluentActions.Awaiting(() => summarizer.SummarizeAsync([]).AsTask()).Should().ThrowAsync<ArgumentException>().WithParameterName("pastDocuments");
    }

    [Fact]
    public async Task SummarizeAsync_Canceled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = () => new ExtractiveUserSummarizer().SummarizeAsync(ArxivSample.All, cts.Token).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsOptionsValidationException()
    {
        Action act = () => _ = new ExtractiveUserSummarizer(new ExtractiveUserSummarizerOptions { SentenceCount = 0, MaxSimilarity = 1.5 });

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }
}
