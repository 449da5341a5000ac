namespace PromptKit.OnnxRuntime.Tests.Chat;

public sealed class GeneratedTextTests
{
    [Fact]
    public void TakeDelta_CharacterSplitOverTwoTokens_HeldUntilComplete()
    {
        var text = new GeneratedText(LmTestModel.Tokenizer, []);
        int[] ids = [.. LmTestModel.Tokenizer.EncodeToIds("fé")];
        var deltas = new List<string?>();

        foreach (int id in ids)
        {
            text.Add(id);
            deltas.Add(text.TakeDelta(final: false));
        }

        ids.Should().HaveCount(3);
        deltas.Should().Equal("f", null, "é");
    }

    [Fact]
    public void TakeDelta_PossibleStopPrefix_HeldBackThenReleased()
    {
        var text = new GeneratedText(LmTestModel.Tokenizer, ["ab!"]);
        var deltas = new List<string?>();

        foreach (int id in LmTestModel.Tokenizer.EncodeToIds("xab?"))
        {
            text.Add(id);
            deltas.Add(text.TakeDelta(final: false));
        }

        string.Concat(deltas).Should().Be("xab?");
        deltas.Should().StartWith(["x", null, null]);
        text.StopSequenceFound.Should().BeFalse();
    }

    [Fact]
    public void Add_StopSequenceAppears_CutsAtEarliestStop()
    {
        var text = new GeneratedText(LmTestModel.Tokenizer, ["cd", "b"]);

        foreach (int id in LmTestModel.Tokenizer.EncodeToIds("abcde"))
        {
            text.Add(id);
        }

        text.StopSequenceFound.Should().BeTrue();
        text.Text.Should().Be("a");
        text.TakeDelta(final: true).Should().Be("a");
        text.TakeDelta(final: true).Should().BeNull();
    }

    [Fact]
    public void TakeDelta_Final_FlushesIncompleteCharacter()
    {
        var text = new GeneratedText(LmTestModel.Tokenizer, []);
        text.Add('f');
        text.Add(0xC3);

        string? held = text.TakeDelta(final: false);
        string? flushed = text.TakeDelta(final: true);

        held.Should().Be("f");
        flushed.Should().Be("\uFFFD");
    }
}
