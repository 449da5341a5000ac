using Microsoft.Extensions.AI;
using PromptKit.Internalization;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class InternalizationSnippets
{
    public static void Lora()
    {
        #region lora
        using CausalLanguageModel model = CausalLanguageModel.Load("path/to/SmolLM2-135M-Instruct", quantize: true);
        ModelTokenizer tokenizer = ModelTokenizer.Load("path/to/SmolLM2-135M-Instruct");
        model.AddAdapter();                                            // r 16, α 32, dropout 0.05, all linear modules
        LanguageModelingExample example = LanguageModelingExample.FromChat(tokenizer,
            [new(ChatRole.User, "list the files"), new(ChatRole.Assistant, "Act: bash ls")]);   // only the reply is learned
        var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions { Epochs = 10, CheckpointPath = "lora.ckpt" });
        trainer.Train(model, [example]);
        model.SaveAdapter("adapter", "SmolLM2-135M-Instruct");        // PEFT: adapter_model.safetensors + adapter_config.json
        model.MergeAdapter();
        model.ExportOnnx("student.onnx");                             // OnnxChatClient serves it without TorchSharp
        #endregion
    }
}
