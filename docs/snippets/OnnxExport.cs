using PromptKit.OnnxRuntime;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class OnnxExportSnippets
{
    public static void Serve(float[] observation, bool[] allowedActions, int batchSize, float[] observations, bool[] masks)
    {
        #region serve
        using var policy = new OnnxPolicy("actor.onnx", new OnnxPolicyOptions
        {
            Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Auto },
        });

        // One user: the core extensions turn logits into an action (greedy or sampled, optional mask).
        PolicyDecision decision = policy.SelectAction(observation, ActionSelection.Greedy, mask: allowedActions);

        // Many users in one run.
        var logits = new float[batchSize * policy.ActionCount];
        policy.ComputeLogits(observations, batchSize, logits);                 // observations: batchSize * ObservationSize
        var decisions = new PolicyDecision[batchSize];
        policy.SelectActions(observations, batchSize, ActionSelection.Sample, decisions, new Random(42), masks);
        #endregion
    }

    public static void Gru(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh, int features, int hiddenSize, int actionCount, float[] headWeights, float[] headBias)
    {
        #region gru
        float[] w = new float[weightIh.Length], r = new float[weightHh.Length];
        float[] wb = new float[biasIh.Length], rb = new float[biasHh.Length];
        GruPolicyWeights.ReorderPyTorchGates(weightIh, hiddenSize, w);   // weight_ih_l0: [3*hidden, features]
        GruPolicyWeights.ReorderPyTorchGates(weightHh, hiddenSize, r);   // weight_hh_l0: [3*hidden, hidden]
        GruPolicyWeights.ReorderPyTorchGates(biasIh, hiddenSize, wb);
        GruPolicyWeights.ReorderPyTorchGates(biasHh, hiddenSize, rb);

        MlpPolicyWeights head = new MlpPolicyWeightsBuilder(hiddenSize).AddLayer(actionCount, headWeights, headBias).Build();
        var gru = new GruPolicyWeights(features, hiddenSize, w, r, wb, rb, linearBeforeReset: true, head);
        byte[] model = OnnxPolicyExporter.Export(gru, new OnnxExportOptions { IncludeSequenceLengths = true });
        #endregion
    }

    public static void Options(MlpPolicyWeights actor)
    {
        #region options
        var options = new OnnxExportOptions { Description = "prompt rewriter actor", ModelVersion = 3 };
        options.Metadata["trained_with"] = "ppo";
        OnnxPolicyExporter.ExportToFile(actor, "actor.onnx", options);
        #endregion
    }

    public static void Mlp(float[] hiddenWeights, float[] hiddenBias, float[] outputWeights, float[] outputBias)
    {
        #region mlp
        // An actor: 8 observation features -> 32 tanh units -> 4 action logits.
        MlpPolicyWeights actor = new MlpPolicyWeightsBuilder(inputSize: 8)
            .AddLayer(32, hiddenWeights, hiddenBias, DenseActivation.Tanh)   // hiddenWeights: 32 * 8 floats
            .AddLayer(4, outputWeights, outputBias)                          // outputWeights: 4 * 32 floats; no activation
            .Build();

        OnnxPolicyExporter.ExportToFile(actor, "actor.onnx");
        byte[] inMemory = OnnxPolicyExporter.Export(actor);                 // the same bytes
        #endregion
    }
}
