using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using PromptKit;
using PromptKit.Internalization;
using PromptKit.Lucene;
using PromptKit.OnnxRuntime;
using PromptKit.Training;

namespace PromptKit.Snippets;

// The code blocks of the package READMEs (src/*/README.md), which nuget.org shows: each README holds a copy of its
// region, checked by SnippetSyncTests.
internal static class PackageReadmes
{
    public static async Task RewriterAsync(Prompt prompt)
    {
        #region core-rewriter
        using IPromptRewriter rewriter = new PromptRewriterBuilder()          // or trainedRewriter.AsBuilder()
            .UseComponentFilter(PromptComponentKind.Summary)
            .UseListLimit(5, ListItemRetention.Last, PromptComponentKind.HistoryRecords)
            .Build();                                                          // DI: services.AddPromptKit().AddPromptRewriter()...
        Prompt rewritten = await rewriter.RewriteAsync(prompt);
        #endregion
        GC.KeepAlive(rewritten);
    }

    public static async Task RppAsync(PromptEvaluator evaluator, IReadOnlyList<RecommendationExample> users)
    {
        #region core-rpp
        var composer = new RppPromptComposer(RppActionSpaces.Default);
        RecommendationExample example = users[0];
        var selection = new RppSelection(rolePlaying: 1, historyRecords: 0, reasoningGuidance: 0, outputFormat: 1);
        PromptEvaluation answer = await evaluator.EvaluateAsync(composer.Compose(example, selection, historyCount: 3));
        double ndcg = new NdcgReward(10).Compute(answer.Text ?? "", example.RankingTarget);
        #endregion
        GC.KeepAlive(ndcg);
    }

    public static void OnnxExport(float[] hiddenWeights, float[] hiddenBias, float[] outputWeights, float[] outputBias)
    {
        #region onnx-export
        byte[] actor = OnnxPolicyExporter.Export(new MlpPolicyWeightsBuilder(8)   // 8 inputs -> 16 (tanh) -> 4 logits
            .AddLayer(16, hiddenWeights, hiddenBias, DenseActivation.Tanh)        // weights row-major [16 x 8]
            .AddLayer(4, outputWeights, outputBias)
            .Build());
        File.WriteAllBytes("actor.onnx", actor);
        #endregion
    }

    public static void OnnxServe(byte[] actor, float[] userFeatures, IServiceCollection services)
    {
        #region onnxruntime-serve
        using var policy = new OnnxPolicy(actor);                 // or new OnnxPolicy("actor.onnx")
        PolicyDecision decision = policy.SelectAction(userFeatures, ActionSelection.Greedy);

        services.AddPromptKit().AddOnnxPolicy("actor.onnx");      // DI, options validated on start
        #endregion
        GC.KeepAlive(decision);
    }

    public static void TrainingPolicy()
    {
        #region training-policy
        using var actor = new MlpNetwork(inputSize: 4, hiddenSizes: [64, 64], outputSize: 2, outputGain: 0.01);
        var policy = new TorchDiscretePolicy(actor);
        Span<float> logits = stackalloc float[2];
        policy.ComputeLogits([0.1f, 0.0f, -0.2f, 0.3f], logits);
        #endregion
    }

    public static async Task LuceneAsync(IReadOnlyList<string> backgroundAbstracts, string userId, IReadOnlyList<UserDocument> pastDocuments)
    {
        #region lucene
        var composer = new GenerationPromptComposer(
            new LuceneBm25Retriever(),                          // or new LuceneBm25Retriever(new() { K1 = 0.9f, B = 0.4f })
            new ExtractiveUserSummarizer(),                     // or new ChatClientUserSummarizer(chatClient)
            new KeywordExtractor(backgroundAbstracts));         // document frequencies from a background corpus

        Prompt prompt = await composer.ComposeAsync(userId, "Title of the next paper", pastDocuments);
        string text = prompt.Render();
        #endregion
        GC.KeepAlive(text);
    }

    public static void Internalization()
    {
        #region internalization-lora
        using CausalLanguageModel model = CausalLanguageModel.Load("SmolLM2-135M-Instruct", quantize: true);   // QLoRA base
        ModelTokenizer tokenizer = ModelTokenizer.Load("SmolLM2-135M-Instruct");
        model.AddAdapter(new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0.05 });
        var examples = new[] { LanguageModelingExample.FromChat(tokenizer, [new(ChatRole.User, "list the files"), new(ChatRole.Assistant, "Act: bash ls")]) };
        new LanguageModelTrainer(new LanguageModelTrainerOptions { Epochs = 10, CheckpointPath = "lora.ckpt" }).Train(model, examples);
        model.SaveAdapter("adapter");          // adapter_model.safetensors + adapter_config.json (PEFT)
        model.MergeAdapter();
        model.ExportOnnx("student.onnx");      // serve with PromptKit.OnnxRuntime's OnnxChatClient
        #endregion
    }
}
