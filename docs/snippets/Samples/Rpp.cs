using Microsoft.Extensions.AI;
using PromptKit;
using PromptKit.Samples.Recommendation;
using PromptKit.Training;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class RppSnippets
{
    public static async Task TrainAsync(string dataFolder, IChatClient chatClient)
    {
        #region train
        RecommendationSplit split = RecommendationSplit.Create(MovieLensLoader.Load(dataFolder),
            new RecommendationSplitOptions { ValidationUsers = 100 });
        var spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(split.TrainingInteractions), spaces, iterations: 15);
        using var evaluator = new PromptEvaluator(chatClient);                       // the frozen LLM
        RppTrainerOptions options = new();                                          // the paper's actor-critic settings
        options.Trainer.Iterations = 100;
        options.Trainer.ValidateEvery = 25;
        var trainer = new RppTrainer(options);
        using ActorCriticModel model = trainer.CreateModel(encoder, spaces);
        TrainingResult run = await trainer.TrainAsync(model, split.Train, encoder, composer, evaluator,
            validationUsers: split.Validation);                                      // ends with the best validated weights
        PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator);
        PersonalizedPrompt result = await personalizer.PersonalizeAsync(split.Test[0]);
        #endregion
    }

    public static async Task SimulatedAsync()
    {
        #region simulated
        InteractionDataset data = MovieLensLoader.Load("samples/data/movielens-ml-latest-small");
        RecommendationSplit split = RecommendationSplit.Create(data);
        using var llm = new SimulatedRecommenderChatClient(split.TrainingInteractions, seed: 0);
        var composer = new RppPromptComposer(RppActionSpaces.Default);
        RecommendationExample example = split.Test[0];
        ChatResponse answer = await llm.GetResponseAsync(composer.ComposeMessages(example, new RppSelection(1, 0, 0, 1), 3));
        double ndcg = new NdcgReward(10).Compute(answer.Text, example.RankingTarget);
        #endregion
    }
}
