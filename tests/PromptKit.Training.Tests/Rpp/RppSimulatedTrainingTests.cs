using PromptKit.TestUtilities;
using PromptKit.Samples;
using PromptKit.Samples.Recommendation;
using PromptKit.Training;
using Xunit.Abstractions;

namespace PromptKit.Training.Tests;

/// <summary>
/// Learning is shown, not assumed: short seeded RPP runs on the simulated recommender, each compared on disjoint test
/// users with the same network untrained and with the best fixed prompt (one selection for every user, chosen on the
/// training users among sampled selections, as the quick start does).
/// </summary>
public sealed class RppSimulatedTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ShortSeededRuns_OnSimulatedLlm_BeatTheUntrainedPolicyOnEverySeed_AndTheBestFixedPromptOnAverage()
    {
        InteractionDataset data = MovieLensData.Dataset;
        RecommendationSplit split = RecommendationSplit.Create(data, new RecommendationSplitOptions { TrainUsers = 60, TestUsers = 60, Seed = 7 });
        split.Train.Select(u => u.UserId).Should().NotIntersectWith(split.Test.Select(u => u.UserId));
        var spaces = RppActionSpaces.Default;
        var composer = new RppPromptComposer(spaces);
        var encoder = new RppStateEncoder(new ItemFeatureEncoder(split.TrainingInteractions), spaces, iterations: 3);
        using var client = new SimulatedRecommenderChatClient(split.TrainingInteractions, seed: 7);
        using var evaluator = new PromptEvaluator(client, new PromptEvaluatorOptions { MaxConcurrency = 4 });
        var reward = new NdcgReward(10);

        // The best fixed prompt: 24 sampled selections scored on the training users, the best one measured on the test users.
        var draw = new Random(7);
        RppSelection[] sampled = [.. Enumerable.Range(0, 24).Select(_ => new RppSelection(draw.Next(spaces.ActionCounts[0]), draw.Next(spaces.ActionCounts[1]), draw.Next(spaces.ActionCounts[2]), draw.Next(spaces.ActionCounts[3])))];
        double[] onTrain = new double[sampled.Length];
        for (int s = 0; s < sampled.Length; s++)
        {
            onTrain[s] = await FixedAsync(sampled[s], split.Train);
        }

        RppSelection bestFixed = sampled[Array.IndexOf(onTrain, onTrain.Max())];
        double bestFixedTest = await FixedAsync(bestFixed, split.Test);

        var trainedScores = new List<double>();
        var margins = new List<double>();
        foreach (long seed in (long[])[1, 2, 3])
        {
            RppTrainerOptions settings = QuickStartTraining.Options(iterations: 25, seed: seed);
            settings.Trainer.EnvironmentCount = 12;
            ((PpoTrainerOptions)settings.Trainer).MiniBatchSize = 36;
            settings.HiddenSizes = [64, 64];
            var trainer = new RppTrainer(settings);
            using ActorCriticModel model = trainer.CreateModel(encoder, spaces);
            double untrained = await PolicyAsync(model, split.Test);

            await trainer.TrainAsync(model, split.Train, encoder, composer, evaluator, negatives: new CandidateResampler(split.TrainingInteractions));
            double trained = await PolicyAsync(model, split.Test);
            trainedScores.Add(trained);
            margins.Add(trained - untrained);
            output.WriteLine($"seed {seed}: untrained {untrained:F3}, trained {trained:F3}, best fixed prompt {bestFixedTest:F3} (NDCG@10, {split.Test.Length} test users)");

            trained.Should().BeGreaterThan(untrained, $"seed {seed}: training must improve on the same network untrained");
        }

        output.WriteLine($"mean margin over the untrained networks {margins.Average():F3}");
        margins.Average().Should().BeGreaterThan(0.01, "on average over the seeds, training improves on the untrained network by more than 0.01 NDCG@10");

        trainedScores.Average().Should().BeGreaterThan(bestFixedTest, "a personalized prompt beats the best single prompt for everyone, on average over the seeds");

        async Task<double> PolicyAsync(ActorCriticModel model, IReadOnlyList<RecommendationExample> users)
        {
            PromptPersonalizer personalizer = RppTrainer.CreatePersonalizer(model, encoder, composer, evaluator);
            double sum = 0;
            foreach (RecommendationExample user in users)
            {
                PersonalizedPrompt p = await personalizer.PersonalizeAsync(user);
                sum += reward.Evaluate(p.Answer.Text ?? string.Empty, user.RankingTarget).Reward;
            }

            return sum / users.Count;
        }

        // A fixed selection for every iteration of the episode; the last iteration's answer is scored.
        async Task<double> FixedAsync(RppSelection selection, IReadOnlyList<RecommendationExample> users)
        {
            double sum = 0;
            foreach (RecommendationExample user in users)
            {
                var episode = new RppEpisode(user, composer);
                PromptEvaluation answer = null!;
                for (int t = 0; t < encoder.Iterations; t++)
                {
                    Prompt prompt = episode.Compose(selection);
                    answer = await evaluator.EvaluateAsync(prompt, composer.Format);
                    episode.Advance(selection, prompt, answer.Text ?? string.Empty);
                }

                sum += reward.Evaluate(answer.Text ?? string.Empty, user.RankingTarget).Reward;
            }

            return sum / users.Count;
        }
    }
}
