namespace PromptKit.Tests.Metrics.Tokenization;

// Expected outputs were derived by hand from the rules in sacrebleu 2.6.0 tokenizer_13a.py / tokenizer_re.py
// (mjpost/sacrebleu: Tokenizer13a.__call__ and TokenizerRegexp._re), applied pass by pass as Python's str.replace and
// re.sub do; the metric-level fixtures (text_cases.jsonl) cross-check the same tokenizer on 317 records.
public sealed class Mteval13aTokenizerTests
{
    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("It costs $1,000.50 today.", "It costs $ 1,000.50 today .")]
    [InlineData("3.14, and 2.", "3.14 , and 2 .")]
    [InlineData("1990-2000", "1990 - 2000")]
    [InlineData("well-known e-mail", "well-known e-mail")]
    [InlineData("don't", "don't")]
    [InlineData("a.b", "a . b")]
    [InlineData("..5", ". .5")]
    [InlineData("(x){y}[z]", "( x ) { y } [ z ]")]
    [InlineData("a/b@c#d", "a / b @ c # d")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Tokenize_Punctuation_SplitsAsMteval13a(string line, string expected)
    {
        var buffer = new TokenBuffer();

        Mteval13aTokenizer.Instance.Tokenize(line, buffer);

        buffer.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("&quot;Hi&quot; &amp; &lt;b&gt;", "\" Hi \" & < b >")]
    [InlineData("&amp;quot;", "& quot ;")]
    [InlineData("AT&T", "AT & T")]
    public void Tokenize_HtmlEntities_UnescapedInSacreBleuOrder(string line, string expected)
    {
        // "&amp;quot;" -> "&quot;" only after the &quot; pass has run, so it stays escaped (single left-to-right passes).
        var buffer = new TokenBuffer();

        Mteval13aTokenizer.Instance.Tokenize(line, buffer);

        buffer.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("<skipped> text", "text")]
    [InlineData("end-\nof line\nnext", "endof line next")]
    [InlineData("<skip<skipped>ped>", "< skipped >")]
    public void Tokenize_LanguageIndependentPart_RemovesSkippedAndJoinsLines(string line, string expected)
    {
        var buffer = new TokenBuffer();

        Mteval13aTokenizer.Instance.Tokenize(line, buffer);

        buffer.ToString().Should().Be(expected);
    }

    [Fact]
    public void Tokenize_NonAsciiText_KeepsLettersAndSurrogatePairs()
    {
        var buffer = new TokenBuffer();

        Mteval13aTokenizer.Instance.Tokenize("Straße 😀. Ünïcode—dash", buffer);

        buffer.ToString().Should().Be("Straße 😀 . Ünïcode—dash");
        buffer.Count.Should().Be(4);
        buffer[1].ToString().Should().Be("😀");
    }

    [Fact]
    public void Tokenize_LongLine_GrowsBuffers()
    {
        string line = string.Concat(Enumerable.Repeat("a,b.c(d) ", 500));
        var buffer = new TokenBuffer();

        Mteval13aTokenizer.Instance.Tokenize(line, buffer);

        buffer.Count.Should().Be(500 * 8);
        buffer.ToString().Should().StartWith("a , b . c ( d ) a ,");
    }

    [Theory]
    [InlineData('{', true)]
    [InlineData('~', true)]
    [InlineData('`', true)]
    [InlineData(' ', true)]
    [InlineData('&', true)]
    [InlineData('\'', false)]
    [InlineData('(', true)]
    [InlineData('+', true)]
    [InlineData(',', false)]
    [InlineData('-', false)]
    [InlineData('.', false)]
    [InlineData('/', true)]
    [InlineData(':', true)]
    [InlineData('@', true)]
    [InlineData('a', false)]
    public void IsSeparatedSymbol_CharacterClass_MatchesSacreBleuRegex(char c, bool expected)
    {
        bool actual = Mteval13aTokenizer.IsSeparatedSymbol(c);

        actual.Should().Be(expected);
    }
}
