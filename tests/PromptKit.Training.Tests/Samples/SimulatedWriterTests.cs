using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using PromptKit.Samples.Writing;
using PromptKit.TestUtilities;

namespace PromptKit.Training.Tests;

/// <summary>The simulated writer's fairness (requirements) and its calibration (the documented effects exist and are
/// moderate; calibration checks, not requirements of a real model).</summary>
public sealed class SimulatedWriterTests
{
    private const string Title = "Spectral clustering of sparse random graphs";
    private const string Target = "We study spectral clustering of sparse random graphs. We prove that the non-backtracking operator recovers the communities down to the detection threshold.";

    private static Prompt Prompt(string summary, IEnumerable<string> keywords, PromptFormat? format = null) => new PromptBuilder()
        .AddInstruction("Write the abstract of the user's next paper.")
        .AddQuery(Title)
        .AddRetrievedEntries([
            "Community detection in sparse graphs. We prove that the non-backtracking operator recovers the communities of sparse graphs.",
            "Random matrices and graphs. We study the spectrum of adjacency matrices of random graphs.",
        ])
        .AddSummary(summary)
        .AddSynthesis(keywords)
        .Build();

    private static async Task<string> WriteAsync(Prompt prompt, PromptFormat? format = null, SimulatedWriterSettings? settings = null)
    {
        using var writer = new SimulatedWriterChatClient(settings);
        ChatResponse response = await writer.GetResponseAsync(prompt.ToChatMessages(format));
        return response.Text;
    }

    [Fact]
    public async Task Answer_DependsOnTheRenderedPromptOnly_NeverOnTheTarget()
    {
        Prompt prompt = Prompt("The author works on random graphs.", ["random graphs", "communities", "Writes abstracts of about 60 words."]);
        using var writer = new SimulatedWriterChatClient();
        using var evaluator = new PromptEvaluator(writer, new PromptEvaluatorOptions { UseCache = false });
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, PromptRewriterTrainer.CreateReward());

        PromptScore one = await scorer.ScoreAsync(prompt, [Target]);
        PromptScore other = await scorer.ScoreAsync(prompt, ["A completely different abstract about protein folding."]);

        other.Evaluation.Text.Should().Be(one.Evaluation.Text, "the target is never sent to the model");
        other.Reward.Should().BeLessThan(one.Reward!.Value);
        writer.Calls.Should().Be(2);
    }

    [Fact]
    public async Task Answer_UnshownData_ChangesNothing()
    {
        // The same rendered text, whatever else the caller knows about the author.
        Prompt prompt = Prompt("The author works on random graphs.", ["random graphs"]);
        Prompt rebuilt = new PromptBuilder(prompt).Build();

        (await WriteAsync(rebuilt)).Should().Be(await WriteAsync(prompt));
    }

    [Fact]
    public async Task Context_IsFoundUnderOtherHeadingsAndNames()
    {
        Prompt prompt = Prompt("The author works on random graphs.", ["random graphs"]);
        var renamed = new PromptFormat { Headings = ImmutableDictionary<PromptComponentKind, string>.Empty.Add(PromptComponentKind.Query, "Title of the next paper") };
        Prompt renamedComponents = prompt.WithComponentAt(1, prompt.Components[1].WithName("next_paper"));

        (await WriteAsync(prompt)).Should().StartWith("This paper studies spectral clustering of sparse random graphs.");
        (await WriteAsync(renamedComponents, renamed)).Should().StartWith("This paper studies spectral clustering of sparse random graphs.");
    }

    [Fact]
    public async Task StatedLengthAndOpening_AreFollowed_InAnyPhrasing()
    {
        string shortText = await WriteAsync(Prompt("The author works on random graphs.", ["graphs", "Writes abstracts of roughly 30 words, often opening with \"We\"."]));
        string longText = await WriteAsync(Prompt("The author works on random graphs.", ["graphs", "Abstracts run to about 200 words."]));

        shortText.Should().StartWith("We study");
        shortText.Split(' ').Length.Should().BeLessThan(longText.Split(' ').Length);
    }

    [Fact]
    public async Task Calibration_AnOffTopicSummaryLowersTheReward_Moderately()
    {
        string[] keywords = ["sparse graphs", "non-backtracking operator", "communities"];
        var reward = PromptRewriterTrainer.CreateReward();
        double clean = reward.Compute(await WriteAsync(Prompt("The author proves results on community detection in sparse graphs.", keywords)), [Target]);
        double noisy = reward.Compute(await WriteAsync(Prompt("The author also writes about medieval poetry and the history of music notation in monasteries of France.", keywords)), [Target]);

        noisy.Should().BeLessThan(clean);
        (clean - noisy).Should().BeLessThan(0.5 * clean, "one sentence moves the reward, it does not decide it");
    }

    [Fact]
    public async Task Calibration_KeywordOrderDecidesWhichKeywordsAreWoven_WhenSlotsAreFew()
    {
        var settings = SimulatedWriterSettings.Default with { KeywordSlots = 1, ContextWeight = 0 };
        string first = await WriteAsync(Prompt("x y z w.", ["non-backtracking operator", "medieval poetry"]), settings: settings);
        string second = await WriteAsync(Prompt("x y z w.", ["medieval poetry", "non-backtracking operator"]), settings: settings);

        first.Should().Contain("builds on non-backtracking operator.");
        second.Should().Contain("builds on medieval poetry.");
    }

    [Fact]
    public void Load_ReadsTheBundledAbstracts_OldestFirst()
    {
        ImmutableArray<ArxivAuthor> authors = ArxivAbstracts.Load(Path.Combine(Path.GetDirectoryName(MovieLensData.Directory)!, "arxiv-single-author-abstracts", "docs.jsonl"));

        authors.Should().HaveCount(200);
        authors.Sum(a => a.Abstracts.Length).Should().Be(3077);
        authors.Should().OnlyContain(a => a.Abstracts.Select(d => d.Timestamp).SequenceEqual(a.Abstracts.Select(d => d.Timestamp).Order()));
        FluentActions.Invoking(() => ArxivAbstracts.Load("/nonexistent/docs.jsonl")).Should().Throw<FileNotFoundException>();
    }
}
