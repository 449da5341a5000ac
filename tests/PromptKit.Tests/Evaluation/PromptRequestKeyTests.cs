using System.Text.Json;
using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Evaluation;

public sealed class PromptRequestKeyTests
{
    [Fact]
    public void TryCreate_EqualRequestsBuiltSeparately_ReturnSameLowercaseSha256Hex()
    {
        string? first = PromptRequestKey.TryCreate(Request("hello"), Options());
        string? second = PromptRequestKey.TryCreate(Request("hello"), Options());

        first.Should().NotBeNull().And.Be(second);
        first.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void TryCreate_NullOptions_SameKeyAsEmptyOptions()
    {
        string? withNull = PromptRequestKey.TryCreate(Request("q"), null);
        string? withEmpty = PromptRequestKey.TryCreate(Request("q"), new ChatOptions());

        withNull.Should().Be(withEmpty);
    }

    public static TheoryData<string, Action<ChatOptions>> OptionChanges() => new()
    {
        { "model id", o => o.ModelId = "other-model" },
        { "instructions", o => o.Instructions = "Be terse." },
        { "temperature", o => o.Temperature = 0.7000001f },
        { "top-p", o => o.TopP = 0.5f },
        { "top-k", o => o.TopK = 40 },
        { "max output tokens", o => o.MaxOutputTokens = 65 },
        { "frequency penalty", o => o.FrequencyPenalty = 0.1f },
        { "presence penalty", o => o.PresencePenalty = 0.1f },
        { "seed", o => o.Seed = 43 },
        { "stop sequences", o => o.StopSequences = ["\n\n", "###"] },
        { "stop sequence order", o => o.StopSequences = ["\n", "\n\n"] },
        { "response format text", o => o.ResponseFormat = ChatResponseFormat.Text },
        { "response format json schema", o => o.ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("{\"type\":\"object\"}").RootElement, "answer") },
        { "reasoning", o => o.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } },
    };

    [Theory]
    [MemberData(nameof(OptionChanges))]
    public void TryCreate_OptionDiffers_KeyDiffers(string what, Action<ChatOptions> change)
    {
        ChatOptions changed = Options();
        change(changed);

        string? key = PromptRequestKey.TryCreate(Request("q"), changed);

        key.Should().NotBeNull().And.NotBe(PromptRequestKey.TryCreate(Request("q"), Options()), what);
    }

    [Fact]
    public void TryCreate_PlainJsonFormatVersusSchema_KeysDiffer()
    {
        var plain = new ChatOptions { ResponseFormat = ChatResponseFormat.Json };
        var schema = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("{\"type\":\"string\"}").RootElement) };

        PromptRequestKey.TryCreate(Request("q"), plain).Should().NotBe(PromptRequestKey.TryCreate(Request("q"), schema));
    }

    [Fact]
    public void TryCreate_MessageDetailsDiffer_KeysDiffer()
    {
        string? baseline = PromptRequestKey.TryCreate(Request("q"), null);

        string?[] variants =
        [
            PromptRequestKey.TryCreate(Request("q "), null),
            PromptRequestKey.TryCreate([new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.Assistant, "q")], null),
            PromptRequestKey.TryCreate([new ChatMessage(ChatRole.User, "q"), new ChatMessage(ChatRole.System, "You are terse.")], null),
            PromptRequestKey.TryCreate([new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, "q") { AuthorName = "ann" }], null),
            PromptRequestKey.TryCreate([new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, [new TextContent("q"), new TextContent("")])], null),
            PromptRequestKey.TryCreate([new ChatMessage(ChatRole.User, "You are terse.q")], null),
        ];

        variants.Should().OnlyHaveUniqueItems().And.NotContain(baseline).And.NotContainNulls();
    }

    [Fact]
    public void TryCreate_NonTextContent_ReturnsNull()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("describe"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);

        PromptRequestKey.TryCreate([message], null).Should().BeNull();
    }

    public static TheoryData<string, ChatOptions> UncacheableOptions() => new()
    {
        { "tools", new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] } },
        { "tool mode", new ChatOptions { ToolMode = ChatToolMode.Auto } },
        { "conversation id", new ChatOptions { ConversationId = "c1" } },
        { "additional properties", new ChatOptions { AdditionalProperties = new() { ["logprobs"] = true } } },
        { "raw representation factory", new ChatOptions { RawRepresentationFactory = _ => null } },
    };

    [Theory]
    [MemberData(nameof(UncacheableOptions))]
    public void TryCreate_OptionsTheKeyCannotDescribe_ReturnsNull(string what, ChatOptions options)
    {
        PromptRequestKey.TryCreate(Request("q"), options).Should().BeNull(what);
    }

    private static IReadOnlyList<ChatMessage> Request(string text) =>
        [new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, text)];

    private static ChatOptions Options() => new()
    {
        ModelId = "model",
        Temperature = 0.7f,
        MaxOutputTokens = 64,
        Seed = 42,
        StopSequences = ["\n\n", "\n"],
    };
}
