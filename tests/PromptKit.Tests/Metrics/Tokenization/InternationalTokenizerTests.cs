namespace PromptKit.Tests.Metrics.Tokenization;

// Expected outputs were derived by hand from sacrebleu 2.6.0 tokenizer_intl.py (TokenizerV14International: the three
// regex module substitutions (\P{N})(\p{P}), (\p{P})(\P{N}), (\p{S}) and a whitespace split), including the
// documented quirk that a number followed by a final period keeps the period. End-to-end values from sacrebleu's own
// test suite (test_bleu.py, test_sentence_bleu.py) are checked in BleuMetricTests.
public sealed class InternationalTokenizerTests
{
    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("1,000.5", "1,000.5")]
    [InlineData("The year 2000.", "The year 2000.")]
    [InlineData("5$ + 3€=8", "5 $ + 3 € = 8")]
    [InlineData("«Bonjour»", "« Bonjour »")]
    [InlineData("I ❤ 🍕!", "I ❤ 🍕 !")]
    [InlineData("你好。世界", "你好 。 世界")]
    [InlineData("3-4 a-b", "3-4 a - b")]
    [InlineData("don't", "don ' t")]
    [InlineData("", "")]
    public void Tokenize_UnicodeCategories_SplitsAsMtevalV14(string line, string expected)
    {
        var buffer = new TokenBuffer();

        InternationalTokenizer.Instance.Tokenize(line, buffer);

        buffer.ToString().Should().Be(expected);
    }

    [Fact]
    public void Tokenize_NoHtmlUnescaping_KeepsEntities()
    {
        var buffer = new TokenBuffer();

        InternationalTokenizer.Instance.Tokenize("&quot;x&quot;", buffer);

        buffer.ToString().Should().Be("& quot ; x & quot ;");
    }

    [Fact]
    public void Tokenize_LoneSurrogate_TreatedAsNonPunctuation()
    {
        var buffer = new TokenBuffer();

        InternationalTokenizer.Instance.Tokenize("a\uD800!", buffer);

        buffer.ToString().Should().Be("a\uD800 !");
    }
}
