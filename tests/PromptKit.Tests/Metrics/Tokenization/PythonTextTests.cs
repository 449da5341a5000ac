namespace PromptKit.Tests.Metrics.Tokenization;

// Expected values are Python 3.11 behaviour: str.isspace(), str.lower() (full case mapping with Final_Sigma) and
// f"{x:.Nf}" (round half to even on the exact binary value).
public sealed class PythonTextTests
{
    [Theory]
    [InlineData('\u001C', true)]
    [InlineData('\u001F', true)]
    [InlineData('\u0085', true)]
    [InlineData('\u00A0', true)]
    [InlineData('\u3000', true)]
    [InlineData('\u2029', true)]
    [InlineData('\u200B', false)]
    [InlineData('\u180E', false)]
    [InlineData('x', false)]
    public void IsWhiteSpace_Character_MatchesPythonIsSpace(char c, bool expected)
    {
        bool actual = PythonText.IsWhiteSpace(c);

        actual.Should().Be(expected);
    }

    [Theory]
    [InlineData("HeLLo WORLD", "hello world")]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ΣΑΣ", "σας")]
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ.", "ας.")]
    [InlineData("ΑΣΑ", "ασα")]
    [InlineData("\u01C5", "\u01C6")]
    [InlineData("ＦⅠ𝐀😀", "ｆⅰ𝐀😀")]
    [InlineData("Ünïcode ÉCOLE", "ünïcode école")]
    public void Lower_Text_MatchesPythonLower(string text, string expected)
    {
        char[] buffer = new char[1];

        int length = PythonText.Lower(text, ref buffer);

        new string(buffer, 0, length).Should().Be(expected);
    }

    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.675, 2, "2.67")]
    [InlineData(1.0, 3, "1.000")]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(100.00000000000004, 2, "100.00")]
    [InlineData(87.25, 1, "87.2")]
    [InlineData(99.96, 1, "100.0")]
    [InlineData(0.0, 1, "0.0")]
    public void FormatFixed_Value_MatchesPythonFormat(double value, int digits, string expected)
    {
        string text = PythonText.FormatFixed(value, digits);

        text.Should().Be(expected);
    }

    [Fact]
    public void RStripLength_TrailingPythonWhitespace_IsRemoved()
    {
        int length = PythonText.RStripLength(" a b \t\u001F\u3000");

        length.Should().Be(4);
    }
}
