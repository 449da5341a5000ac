using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using PromptKit.TestUtilities;

namespace PromptKit.Tests.Generation;

public sealed class GenerationPromptComposerTests
{
    private static readonly IReadOnlyList<UserDocument> Puig = ArxivSample.ByUser[ArxivSample.PuigId];
    private static readonly IReadOnlyList<UserDocument> Osipov = ArxivSample.ByUser[ArxivSample.OsipovId];
    private static readonly KeywordExtractor Keywords = new([.. ArxivSample.All.Select(d => d.Title + ". " + d.Text)]);

    [Fact]
    public async Task ComposeAsync_BuildsTheFiveComponentsInOrder_WithOnlySummaryAndSynthesisEditable()
    {
        var retriever = new LastDocumentsRetriever();
        var composer = new GenerationPromptComposer(retriever, new CountingSummarizer(), Keywords);

        Prompt prompt = await composer.ComposeAsync(ArxivSample.PuigId, "The Frobenius P-categories", Puig);

        prompt.Components.Select(c => c.Name).Should().Equal("instruction", "query", "retrieved", "summary", "synthesis");
        prompt.Components.Select(c => c.Kind).Should().Equal(
            PromptComponentKind.Instruction, PromptComponentKind.Query, PromptComponentKind.RetrievedEntries,
            PromptComponentKind.Summary, PromptComponentKind.Synthesis);
        prompt.GetEditableComponents().Select(c => c.Name).Should().Equal("summary", "synthesis");
        prompt["instruction"].Text.Should().Be(GenerationPromptComposerOptions.DefaultInstruction);
        prompt["query"].Text.Should().Be("The Frobenius P-categories");
        prompt["retrieved"].Items.Should().Equal(Puig.TakeLast(3).Reverse().Select(d => d.Title + ". " + d.Text.Trim()));
        prompt["summary"].Text.Should().Be("Summary of 15 documents.");
        prompt["synthesis"].Items.Should().HaveCount(11);
        prompt["synthesis"].Items[^1].Should().Be(WritingStyle.Describe(Puig));
        prompt["synthesis"].Items[..^1].Should().Equal(Keywords.Extract([.. prompt["retrieved"].Items], 10));
        retriever.Calls.Should().ContainSingle().Which.Should().Be(("The Frobenius P-categories", 3));
        prompt.Render().Should().Contain("The Frobenius P-categories").And.Contain("Summary of 15 documents.");
    }

    [Fact]
    public async Task ComposeAsync_Options_SetCountsAndInstruction()
    {
        var options = new GenerationPromptComposerOptions { RetrievedCount = 1, KeywordCount = 2, Instruction = "Write it." };
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), new CountingSummarizer(), Keywords, options);
        options.RetrievedCount = 5;

        Prompt prompt = await composer.ComposeAsync("u", "Some title", Osipov);

        prompt["instruction"].Text.Should().Be("Write it.");
        prompt["retrieved"].Items.Should().HaveCount(1);
        prompt["synthesis"].Items.Should().HaveCount(3);
    }

    [Fact]
    public async Task ComposeAsync_NothingRetrieved_KeywordsComeFromAllPastDocuments()
    {
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(matches: false), new CountingSummarizer(), Keywords);

        Prompt prompt = await composer.ComposeAsync("u", "Unrelated", Osipov);

        prompt["retrieved"].Items.Should().BeEmpty();
        prompt["synthesis"].Items[..^1].Should().Equal(Keywords.Extract([.. Osipov.Select(d => d.Title + ". " + d.Text.Trim())], 10));
    }

    [Fact]
    public async Task ComposeAsync_SummaryIsComputedOncePerUser()
    {
        var summarizer = new CountingSummarizer();
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), summarizer, Keywords);

        await composer.ComposeAsync("puig", "A", Puig);
        await composer.ComposeAsync("puig", "B", Puig);
        await composer.ComposeAsync("osipov", "C", Osipov);
        Prompt again = await composer.ComposeAsync("osipov", "D", Osipov);

        summarizer.Calls.Should().Be(2);
        again["summary"].Text.Should().Be("Summary of 13 documents.");
    }

    [Fact]
    public async Task ComposeAsync_ConcurrentCallsForOneUser_ShareOneSummary()
    {
        var summarizer = new CountingSummarizer(delay: TimeSpan.FromMilliseconds(50));
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), summarizer, Keywords);

        Prompt[] prompts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => composer.ComposeAsync("puig", $"Title {i}", Puig).AsTask()));

        summarizer.Calls.Should().Be(1);
        prompts.Select(p => p["summary"].Text).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task ComposeAsync_FailedSummary_IsNotCached()
    {
        var summarizer = new CountingSummarizer(failFirst: true);
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), summarizer, Keywords);

        Func<Task> first = () => composer.ComposeAsync("puig", "A", Puig).AsTask();
        await first.Should().ThrowAsync<PromptKitException>().WithMessage("first call fails");
        Prompt prompt = await composer.ComposeAsync("puig", "A", Puig);

        summarizer.Calls.Should().Be(2);
        prompt["summary"].Text.Should().Be("Summary of 15 documents.");
    }

    [Fact]
    public async Task ComposeAsync_NoPastDocuments_ThrowsArgumentExceptionNamingTheUserAndArgument()
    {
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), new CountingSummarizer(), Keywords);

        Func<Task> act = () => composer.ComposeAsync("new-author", "A title", []).AsTask();

        (await act.Should().ThrowAsync<ArgumentException>()).WithParameterName("pastDocuments").WithMessage("*'new-author' has no past documents*");
    }

    [Fact]
    public async Task ComposeAsync_InvalidArguments_ThrowWithParamName()
    {
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), new CountingSummarizer(), Keywords);

        await FluentActions.Awaiting(() => composer.ComposeAsync(null!, "t", Puig).AsTask()).Should().ThrowAsync<ArgumentNullException>().WithParameterName("userId");
        await FluentActions.Awaiting(() => composer.ComposeAsync(" ", "t", Puig).AsTask()).Should().ThrowAsync<ArgumentException>().WithParameterName("userId");
        await FluentActions.Awaiting(() => composer.ComposeAsync("u", "", Puig).AsTask()).Should().ThrowAsync<ArgumentException>().WithParameterName("context");
        await FluentActions.Awaiting(() => composer.ComposeAsync("u", "t", null!).AsTask()).Should().ThrowAsync<ArgumentNullException>().WithParameterName("pastDocuments");
        await FluentActions.Awaiting(() => composer.ComposeAsync("u", "t", [null!]).AsTask()).Should().ThrowAsync<ArgumentException>().WithParameterName("pastDocuments");
    }

    [Fact]
    public async Task ComposeAsync_Canceled_ThrowsAndCachesNothing()
    {
        var summarizer = new CountingSummarizer();
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), summarizer, Keywords);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = () => composer.ComposeAsync("puig", "t", Puig, cts.Token).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>();
        summarizer.Calls.Should().Be(0);
    }

    [Fact]
    public async Task ComposeAsync_FirstCallerCancelsTheSharedSummary_OtherCallerStartsAnother()
    {
        var summarizer = new BlockingFirstCallSummarizer();
        var composer = new GenerationPromptComposer(new LastDocumentsRetriever(), summarizer, Keywords);
        using var first = new CancellationTokenSource();

        Task<Prompt> canceled = composer.ComposeAsync("puig", "A", Puig, first.Token).AsTask();
        await summarizer.FirstCallStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Task<Prompt> other = composer.ComposeAsync("puig", "B", Puig).AsTask();
        await first.CancelAsync();

        await FluentActions.Awaiting(() => canceled).Should().ThrowAsync<OperationCanceledException>();
        Prompt prompt = await other.WaitAsync(TimeSpan.FromSeconds(10));
        prompt["summary"].Text.Should().Be("Summary 2");
        summarizer.Calls.Should().Be(2);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        FluentActions.Invoking(() => new GenerationPromptComposer(null!, new CountingSummarizer(), Keywords)).Should().Throw<ArgumentNullException>().WithParameterName("retriever");
        FluentActions.Invoking(() => new GenerationPromptComposer(new LastDocumentsRetriever(), null!, Keywords)).Should().Throw<ArgumentNullException>().WithParameterName("summarizer");
        FluentActions.Invoking(() => new GenerationPromptComposer(new LastDocumentsRetriever(), new CountingSummarizer(), null!)).Should().Throw<ArgumentNullException>().WithParameterName("keywordExtractor");
        FluentActions.Invoking(() => new GenerationPromptComposer(
                new LastDocumentsRetriever(), new CountingSummarizer(), Keywords,
                new GenerationPromptComposerOptions { RetrievedCount = 0, KeywordCount = 0, Instruction = " " }))
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(3);
    }

    /// <summary>Returns the last <c>count</c> documents, newest first (or none), and records each call.</summary>
    private sealed class LastDocumentsRetriever(bool matches = true) : IDocumentRetriever
    {
        public List<(string Query, int Count)> Calls { get; } = [];

        public ValueTask<ImmutableArray<UserDocument>> RetrieveAsync(string query, IReadOnlyList<UserDocument> documents, int count, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add((query, count));
            }

            return ValueTask.FromResult(matches ? documents.TakeLast(count).Reverse().ToImmutableArray() : []);
        }
    }

    /// <summary>Counts calls; answers "Summary of N documents." after an optional delay; optionally fails its first call.</summary>
    private sealed class CountingSummarizer(TimeSpan delay = default, bool failFirst = false) : IUserSummarizer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<string> SummarizeAsync(IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref _calls);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            if (failFirst && call == 1)
            {
                throw new PromptKitException("first call fails");
            }

            return $"Summary of {pastDocuments.Count} documents.";
        }
    }

    /// <summary>Its first call waits until canceled; later calls answer "Summary N".</summary>
    private sealed class BlockingFirstCallSummarizer : IUserSummarizer
    {
        private int _calls;

        public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<string> SummarizeAsync(IReadOnlyList<UserDocument> pastDocuments, CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref _calls);
            if (call == 1)
            {
                FirstCallStarted.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return $"Summary {call}";
        }
    }
}
