namespace PromptKit.Tests.Metrics.Tokenization;

// sacrebleu 2.6.0 tokenizer_none.NoneTokenizer returns the line unchanged; BLEU then splits it with Python's str.split().
public sealed class NoneTokenizerTests
{
    [Theory]
    [InlineData("Hello, world!", "Hello, world!")]
    [InlineData("a  b\tc\u3000d ", "a b c d")]
    [InlineData("a\u001Cb\u00A0c\u2028d", "a b c d")]
    [InlineData("a\u200Bb", "a\u200Bb")]
    [InlineData("", "")]
    public void Tokenize_AnyLine_SplitsOnPythonWhitespaceOnly(string line, string expected)
    {
        var buffer = new TokenBuffer();

        NoneTokenizer.Instance.Tokenize(line, buffer);

        buffer.ToString().Should().Be(expected);
    }

    [Fact]
    public void For_EachOption_ReturnsTokenizerWithSacreBleuSignature()
    {
        string[] signatures = [.. Enum.GetValues<BleuTokenizer>().Select(t => SacreBleuTokenizer.For(t).Signature)];

        signatures.Should().Equal("13a", "none", "intl");
    }

    [Fact]
    public void For_UndefinedValue_Throws()
    {
        Action act = () => SacreBleuTokenizer.For((BleuTokenizer)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("tokenizer");
    }
}
