using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using PromptKit.Training;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class CostsSnippets
{
    public static async Task BudgetAsync(IChatClient chatClient, IDistributedCache sqliteOrRedisCache, RppTrainerOptions options, ActorCriticModel model, IReadOnlyList<RecommendationExample> users, RppStateEncoder encoder, RppPromptComposer composer)
    {
        #region budget
        var budget = new CallBudget(maxCalls: 20_000, maxTokens: 5_000_000);     // one budget for the whole run
        using var evaluator = new PromptEvaluator(chatClient, new PromptEvaluatorOptions
        {
            MaxConcurrency = 32,                                                 // calls in flight, over all callers
            DefaultChatOptions = new ChatOptions { Temperature = 0, TopP = 1, MaxOutputTokens = 256 },
            Budget = budget,                                                     // shared, not copied: give it to every evaluator
        }, cache: sqliteOrRedisCache);                                           // any IDistributedCache; null = in memory

        try { await new RppTrainer(options).TrainAsync(model, users, encoder, composer, evaluator); }
        catch (CallBudgetExceededException ex) { Console.WriteLine(ex.Budget!.SpentReason); } // checkpoint already written
        #endregion
    }
}
