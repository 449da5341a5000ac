using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using PromptKit.OnnxRuntime;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class OnnxRuntimeSnippets
{
    public static void AddServices(IServiceCollection services, Tokenizer tokenizer)
    {
        #region di
        services.AddPromptKit()
            .AddOnnxPolicy("actor.onnx")                                   // OnnxPolicy + IDiscretePolicy
            .AddOnnxTextEncoder(o => { o.ModelPath = "encoder.onnx"; o.VocabularyPath = "vocab.txt"; })  // + IStateEncoder<string>
            .AddOnnxChatClient(o => { o.ModelPath = "model.onnx"; o.Tokenizer = tokenizer; });          // + IChatClient
        #endregion
    }

    public static void Session()
    {
        #region session
        var session = new OnnxSessionOptions
        {
            ExecutionProvider = OnnxExecutionProvider.Auto,   // Auto | Cpu | Cuda
            DeviceId = 0,
            IntraOpThreads = 0,                              // 0 = ONNX Runtime's choice
            OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        #endregion
    }
}
