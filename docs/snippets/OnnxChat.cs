using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using PromptKit.OnnxRuntime;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class OnnxChatSnippets
{
    public static async Task ChatAsync()
    {
        #region chat
        using Stream tokenizerModel = File.OpenRead("phi3/tokenizer.model");
        var options = new OnnxChatClientOptions
        {
            ModelPath = "phi3/model.onnx",
            Tokenizer = LlamaTokenizer.Create(tokenizerModel),          // any Microsoft.ML.Tokenizers.Tokenizer
            ChatTemplate = messages =>                                   // the template the model was trained with
                string.Concat(messages.Select(m => $"<|{m.Role.Value}|>\n{m.Text}<|end|>\n")) + "<|assistant|>\n",
            MaxContextLength = 4096,
            DefaultMaxOutputTokens = 256,
            Session = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Auto },
        };
        options.EndOfSequenceTokenIds.Add(32000);   // <|endoftext|>
        options.EndOfSequenceTokenIds.Add(32007);   // <|end|>

        using var client = new OnnxChatClient(options);

        ChatResponse response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Name three primary colors.")],
            new ChatOptions { MaxOutputTokens = 64, StopSequences = ["\n\n"] });
        Console.WriteLine($"{response.Text} ({response.FinishReason}, {response.Usage?.OutputTokenCount} tokens)");

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(
            "Write a haiku about autumn.", new ChatOptions { Temperature = 0.7f, TopP = 0.9f, Seed = 42 }))
        {
            Console.Write(update.Text);
        }
        #endregion
    }
}
