using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

public sealed class TorchChatClientTests
{
    [Fact]
    public async Task AnswersWithTheModelsGreedyTokensAndCountsUsage()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        ChatMessage[] conversation = [new(ChatRole.User, "Think first, then act: bash ls.")];
        var generation = new GenerationOptions { MaxNewTokens = 12 };
        generation.StopTokenIds.Add(-1);
        IReadOnlyList<int> expected = model.Generate(tokenizer.EncodeChat(conversation), generation);
        using var client = new TorchChatClient(model, tokenizer);

        ChatResponse response = await client.GetResponseAsync(conversation, new ChatOptions { MaxOutputTokens = 12 });

        string text = tokenizer.Decode(expected);
        int end = text.IndexOf("<|im_end|>", StringComparison.Ordinal);
        response.Text.Should().Be(end >= 0 ? text[..end] : text);
        response.Usage!.InputTokenCount.Should().Be(tokenizer.EncodeChat(conversation).Count);
        response.FinishReason.Should().Be(end >= 0 ? ChatFinishReason.Stop : ChatFinishReason.Length);
    }

    [Fact]
    public async Task StopSequencesCutTheReply()
    {
        using CausalLanguageModel model = CausalLanguageModel.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        using var client = new TorchChatClient(model, tokenizer);
        ChatResponse full = await client.GetResponseAsync([new(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = 20 });
        string stop = full.Text.Length > 4 ? full.Text.Substring(3, 2) : full.Text;

        ChatResponse cut = await client.GetResponseAsync([new(ChatRole.User, "hello")], new ChatOptions { MaxOutputTokens = 20, StopSequences = [stop] });

        cut.Text.Should().Be(full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)]);
        cut.FinishReason.Should().Be(ChatFinishReason.Stop);
    }
}
