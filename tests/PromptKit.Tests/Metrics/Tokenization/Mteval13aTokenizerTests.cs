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

    [Fact]
    public void Tokenize_EveryShortStringOverPunctuationAlphabet_MatchesPassByPassTokenizer()
    {
        // Every string of up to 6 characters over letters, digits, the period/comma/dash classes, a symbol and a space:
        // all the contexts the single scan distinguishes, compared with the literal sacrebleu passes.
        const string alphabet = "a1.,-/ ";
        var fused = new TokenBuffer();
        var passes = new TokenBuffer();
        char[] line = new char[6];
        int mismatches = 0;
        string? firstMismatch = null;

        for (int length = 0; length <= line.Length; length++)
        {
            int total = (int)Math.Pow(alphabet.Length, length);
            for (int code = 0; code < total; code++)
            {
                int rest = code;
                for (int i = 0; i < length; i++)
                {
                    line[i] = alphabet[rest % alphabet.Length];
                    rest /= alphabet.Length;
                }

                ReadOnlySpan<char> text = line.AsSpan(0, length);
                Mteval13aTokenizer.Instance.Tokenize(text, fused);
                Mteval13aPassTokenizer.Tokenize(text, passes);
                if (!SameTokens(fused, passes))
                {
                    mismatches++;
                    firstMismatch ??= text.ToString();
                }
            }
        }

        mismatches.Should().Be(0, "the first mismatch was \"{0}\"", firstMismatch);
    }

    [Fact]
    public void Tokenize_SeededRandomLines_MatchesPassByPassTokenizer()
    {
        string[] pieces =
        [
            "a", "Z", "é", "Σ", "😀", "\uD800", "0", "7", ".", ",", "-", "'", " ", "  ", "\t", "\u00A0", "\u001C", "\u2028",
            "\n", "-\n", "<skipped>", "<", ">", "&", "&amp;", "&quot;", "&lt;", "&gt;", "&amp;quot;", "(", "$", "~", "`", "[", "@", "/", "_",
        ];
        var random = new Random(20_260_424);
        var fused = new TokenBuffer();
        var passes = new TokenBuffer();
        var builder = new System.Text.StringBuilder();

        for (int caseIndex = 0; caseIndex < 20_000; caseIndex++)
        {
            builder.Clear();
            int count = random.Next(0, 40);
            for (int i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            string line = builder.ToString();
            Mteval13aTokenizer.Instance.Tokenize(line, fused);
            Mteval13aPassTokenizer.Tokenize(line, passes);

            SameTokens(fused, passes).Should().BeTrue("line \"{0}\" gives [{1}] by passes but [{2}] fused", line, passes, fused);
        }
    }

    private static bool SameTokens(TokenBuffer left, TokenBuffer right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        for (int i = 0; i < left.Count; i++)
        {
            if (!left[i].SequenceEqual(right[i]))
            {
                return false;
            }
        }

        return true;
    }
}
