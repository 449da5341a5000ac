using Microsoft.Extensions.AI;

namespace PromptKit.Tests.Evaluation;

public sealed class PromptResponseCacheEntryTests
{
    [Fact]
    public void Constructor_NullText_ThrowsWithParamName()
    {
        Action act = () => _ = new PromptResponseCacheEntry(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("text");
    }

    [Fact]
    public void FromResponse_NullResponse_ThrowsWithParamName()
    {
        Action act = () => PromptResponseCacheEntry.FromResponse(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("response");
    }

    [Fact]
    public void ToResponse_AfterFromResponse_KeepsTextModelFinishReasonAndUsage()
    {
        var original = new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer"))
        {
            ModelId = "m",
            FinishReason = ChatFinishReason.Length,
            Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 2, TotalTokenCount = 3 },
        };

        PromptResponseCacheEntry entry = PromptResponseCacheEntry.FromResponse(original);
        ChatResponse copy = entry.ToResponse();

        copy.Text.Should().Be("answer");
        copy.Messages.Single().Role.Should().Be(ChatRole.Assistant);
        copy.ModelId.Should().Be("m");
        copy.FinishReason.Should().Be(ChatFinishReason.Length);
        copy.Usage!.InputTokenCount.Should().Be(1);
        copy.Usage.OutputTokenCount.Should().Be(2);
        copy.Usage.TotalTokenCount.Should().Be(3);
        entry.ToResponse().Should().NotBeSameAs(copy);
    }

    [Fact]
    public void ToResponse_NoUsage_LeavesUsageNull()
    {
        var entry = new PromptResponseCacheEntry("answer");

        ChatResponse response = entry.ToResponse();

        response.Usage.Should().BeNull();
        response.FinishReason.Should().BeNull();
    }
}
