using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PromptKit;

namespace PromptKit.Snippets;

internal static class GettingStarted
{
    public static async Task ScoreAsync(IChatClient model)
    {
        #region score
        Prompt prompt = new PromptBuilder()
            .AddInstruction("Write the abstract of a new paper in the author's style.")
            .AddRetrievedEntries(["Title A: abstract A…", "Title B: abstract B…"])
            .AddSynthesis(["soliton", "dressing method", "integrable"])
            .AddQuery("Fourier form of the dressing method")
            .Build();

        // model: any IChatClient (OpenAI-compatible, Azure, local)
        using var evaluator = new PromptEvaluator(model, new PromptEvaluatorOptions { MaxConcurrency = 8 });
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator,
            new WeightedRewardBuilder<IReadOnlyList<string>>()
                .Add(new BleuReward(), 0.5)
                .Add(new RougeReward(RougeType.RougeL, useStemmer: true), 0.5)
                .Build());

        PromptScore score = await scorer.ScoreAsync(prompt, ["the author's real abstract"]);
        Console.WriteLine(score.IsSuccess ? $"reward {score.Reward:0.000}" : $"model call {score.Evaluation.Status}");
        #endregion
    }

    public static void DependencyInjection(IChatClient model)
    {
        #region di
        // Packages: PromptKit, Microsoft.Extensions.AI (AddChatClient), Microsoft.Extensions.DependencyInjection (ServiceCollection)
        var services = new ServiceCollection();
        services.AddChatClient(model);                         // Microsoft.Extensions.AI
        services.AddPromptKit(o => o.MaxConcurrency = 8)       // PromptEvaluator, validated options
                .ConfigureChatPipeline(b => b.UseLogging())    // optional M.E.AI middleware below the response cache
                .AddPromptScorer(_ => new NdcgReward(k: 10));  // PromptScorer<RankingTarget>

        using ServiceProvider provider = services.BuildServiceProvider();
        PromptScorer<RankingTarget> scorer = provider.GetRequiredService<PromptScorer<RankingTarget>>();
        #endregion
        GC.KeepAlive(scorer);
    }

    public static async Task TenLinesAsync(IChatClient chatClient)
    {
        #region ten-lines
        Prompt prompt = new PromptBuilder()
            .AddRolePlaying("You are a movie recommender.")
            .AddHistory(["The Matrix (1999), rated 5", "Alien (1979), rated 4"])   // user data: always delimited
            .AddOutputFormat("Answer with a numbered list of titles.")
            .Build();

        using var evaluator = new PromptEvaluator(chatClient);                    // any IChatClient
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, new RougeReward(RougeType.RougeL));
        PromptScore score = await scorer.ScoreAsync(prompt, ["expected answer"]);
        #endregion
        GC.KeepAlive(score);
    }
}
