using System.Collections.Immutable;

namespace PromptKit.Tests.Rewriting;

public sealed class PointerRewriteLayoutTests
{
    private static readonly Prompt Personalized = new PromptBuilder()
        .AddInstruction("Write the abstract of the user's next paper.")
        .AddQuery("Graph neural networks for molecule property prediction")
        .AddRetrievedEntries(["Message passing on molecular graphs."])
        .AddSummary("The author studies graph neural networks. The author also writes about music theory.")
        .AddSynthesis(["graph neural networks", "chemistry", "harmony"])
        .Build();

    private static PointerRewriteLayout Layout(int maxElements = 8, int maxLength = 6, int maxCopies = 2) =>
        new(new HashedTextEncoder(16), new PointerRewriterOptions { MaxElements = maxElements, MaxLength = maxLength, MaxCopies = maxCopies });

    [Fact]
    public void GetElements_SentencesAndItemsOfEditableComponentsOnly_InOrder()
    {
        ImmutableArray<RewriteElement> elements = Layout().GetElements(Personalized);

        elements.Select(e => e.Text).Should().Equal(
            "The author studies graph neural networks.", "The author also writes about music theory.", "graph neural networks", "chemistry", "harmony");
        elements.Select(e => e.ComponentOrdinal).Should().Equal(0, 0, 1, 1, 1);
        elements.Select(e => e.Position).Should().Equal(0, 1, 0, 1, 2);
        elements.Select(e => e.IsSentence).Should().Equal(true, true, false, false, false);
    }

    [Fact]
    public void GetElements_MoreThanMax_KeepsTheFirst()
    {
        Layout(maxElements: 3).GetElements(Personalized).Select(e => e.Text).Should().Equal(
            "The author studies graph neural networks.", "The author also writes about music theory.", "graph neural networks");
    }

    [Fact]
    public void Sizes_FollowTheDocumentedLayout()
    {
        PointerRewriteLayout layout = Layout();

        layout.ContextSize.Should().Be(16);
        layout.ElementBlockSize.Should().Be(16 + PointerRewriteLayout.ElementFeatureSize);
        layout.ObservationSize.Should().Be(16 + PointerRewriteLayout.ProgressSize + (8 * (16 + 8)));
        layout.ActionCount.Should().Be(9);
        layout.StopAction.Should().Be(8);
    }

    [Fact]
    public void Observe_WritesContextProgressAndElementFeatures_PaddingIsZero()
    {
        PointerRewriteLayout layout = Layout();
        PointerRewriteEpisode episode = layout.Begin(Personalized);
        episode.Apply(2);
        var observation = new float[layout.ObservationSize];

        episode.Observe(observation);

        var context = new float[16];
        new HashedTextEncoder(16).Encode("Graph neural networks for molecule property prediction", context);
        observation.AsSpan(0, 16).ToArray().Should().Equal(context);
        observation.AsSpan(16, 4).ToArray().Should().Equal(1f / 6, 1f / 5, 5f / 8, 1f);
        int block = 16 + 4 + (2 * 24);
        float[] features = observation.AsSpan(block + 16, 8).ToArray();
        features[0].Should().Be(1f); // valid
        features[1].Should().Be(0f); // a list item
        features[2].Should().Be(0f); // first of three
        features[3].Should().Be(0.5f); // one of two copies used
        features[4].Should().Be(1f); // emitted last
        features[5].Should().BeGreaterThan(0.3f, "the keyword shares words with the title");
        features[7].Should().Be(1f); // second of two editable components
        observation.AsSpan(16 + 4 + (5 * 24)).ToArray().Should().OnlyContain(v => v == 0f, "padding blocks are zero");
    }

    [Fact]
    public void Observe_WithoutElementText_WritesOnlyTheFeatures()
    {
        var layout = new PointerRewriteLayout(new HashedTextEncoder(16), new PointerRewriterOptions { MaxElements = 8, IncludeElementText = false });
        var observation = new float[layout.ObservationSize];

        layout.Begin(Personalized).Observe(observation);

        int block = 16 + 4;
        observation.AsSpan(block, 16).ToArray().Should().OnlyContain(v => v == 0f, "no text encoding");
        observation[block + 16].Should().Be(1f, "the validity flag is still written");
        observation.AsSpan(0, 16).ToArray().Should().Contain(v => v != 0f, "the context is still encoded");
    }

    [Fact]
    public void Mask_StopAlwaysAllowed_NoPointerPastTheEnd_CopiesCapped()
    {
        PointerRewriteLayout layout = Layout(maxCopies: 1);
        PointerRewriteEpisode episode = layout.Begin(Personalized);
        var mask = new bool[layout.ActionCount];

        episode.GetMask(mask);
        mask.Should().Equal(true, true, true, true, true, false, false, false, true);

        episode.Apply(0);
        episode.GetMask(mask);
        mask[0].Should().BeFalse("the element has used its only copy");
        mask[layout.StopAction].Should().BeTrue();
        FluentActions.Invoking(() => episode.Apply(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("action");
        FluentActions.Invoking(() => episode.Apply(6)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("action");
    }

    [Fact]
    public void Apply_MaxLength_FinishesWithoutStop()
    {
        PointerRewriteLayout layout = Layout(maxLength: 2);
        PointerRewriteEpisode episode = layout.Begin(Personalized);

        episode.Apply(3).Should().BeFalse();
        episode.Apply(3).Should().BeTrue();

        episode.IsFinished.Should().BeTrue();
        FluentActions.Invoking(() => episode.Apply(layout.StopAction)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Compose_DropsRepeatsAndReorders_RemovesEmptyComponents_KeepsFixedOnes()
    {
        PointerRewriteLayout layout = Layout();
        ImmutableArray<RewriteElement> elements = layout.GetElements(Personalized);

        Prompt rewritten = PointerRewriteEpisode.Compose(Personalized, elements, [3, 2, 2]);

        rewritten.Contains("summary").Should().BeFalse("no summary sentence was emitted");
        rewritten["synthesis"].Items.Should().Equal("chemistry", "graph neural networks", "graph neural networks");
        rewritten["retrieved"].Should().Be(Personalized["retrieved"]);
        rewritten["query"].Should().Be(Personalized["query"]);

        Prompt summaryOnly = PointerRewriteEpisode.Compose(Personalized, elements, [1, 0]);
        summaryOnly["summary"].Text.Should().Be("The author also writes about music theory. The author studies graph neural networks.");
        summaryOnly.Contains("synthesis").Should().BeFalse();
        FluentActions.Invoking(() => PointerRewriteEpisode.Compose(Personalized, elements, [7])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsWithEveryProblem()
    {
        FluentActions.Invoking(() => new PointerRewriteLayout(new HashedTextEncoder(8), new PointerRewriterOptions { MaxElements = 0, MaxCopies = 99, ContextKinds = [] }))
            .Should().Throw<ArgumentException>().WithParameterName("options")
            .WithMessage("*MaxElements*MaxCopies*ContextKinds*");
        FluentActions.Invoking(() => new PointerRewriteLayout(null!)).Should().Throw<ArgumentNullException>().WithParameterName("textEncoder");
    }

    [Fact]
    public async Task Rewriter_GreedyPolicy_IsDeterministicAndHonoursTheMask()
    {
        PointerRewriteLayout layout = Layout();
        // Prefers element 4 ("harmony"), then 2, then stop: logits fixed per action, masks do the rest.
        var policy = new FixedLogitsPolicy(layout.ObservationSize, [0, 0, 3, 0, 5, 9, 9, 9, 1]);
        using var rewriter = new PointerPromptRewriter(policy, layout);

        Prompt first = await rewriter.RewriteAsync(Personalized);
        Prompt second = await rewriter.RewriteAsync(Personalized);

        first.Should().Be(second);
        first["synthesis"].Items.Should().Equal("harmony", "harmony", "graph neural networks", "graph neural networks");
        first.Contains("summary").Should().BeFalse();
    }

    [Fact]
    public async Task Rewriter_NoEditableContent_ReturnsThePromptUnchanged()
    {
        PointerRewriteLayout layout = Layout();
        using var rewriter = new PointerPromptRewriter(new FixedLogitsPolicy(layout.ObservationSize, new float[layout.ActionCount]), layout);
        Prompt fixedOnly = new PromptBuilder().AddInstruction("Write.").AddQuery("A title").Build();

        (await rewriter.RewriteAsync(fixedOnly)).Should().BeSameAs(fixedOnly);
    }

    [Fact]
    public void Rewriter_PolicyOfAnotherLayout_Throws()
    {
        PointerRewriteLayout layout = Layout();
        FluentActions.Invoking(() => new PointerPromptRewriter(new FixedLogitsPolicy(10, new float[layout.ActionCount]), layout))
            .Should().Throw<ArgumentException>().WithParameterName("policy").WithMessage("*10*");
    }

    private sealed class FixedLogitsPolicy(int observationSize, float[] logits) : IDiscretePolicy
    {
        public int ObservationSize => observationSize;

        public int ActionCount => logits.Length;

        public void ComputeLogits(ReadOnlySpan<float> observation, Span<float> destination) => logits.CopyTo(destination);
    }
}
