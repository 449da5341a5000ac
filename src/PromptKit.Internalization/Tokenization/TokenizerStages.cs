using System.Text;
using Microsoft.ML.Tokenizers;

namespace PromptKit.Internalization;

/// <summary>Hugging Face's <c>Digits</c> pre-tokenizer with <c>individual_digits</c> (SmolLM) before a regex
/// pre-tokenizer: every numeric character is a piece of its own, and the text between them is split by the regex.</summary>
internal sealed class DigitsThenRegexPreTokenizer(PreTokenizer inner) : PreTokenizer
{
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        string whole = text.ToString();
        int runStart = 0;
        for (int i = 0; i <= whole.Length; i++)
        {
            if (i < whole.Length && !char.IsNumber(whole[i]))
            {
                continue;
            }

            if (i > runStart)
            {
                foreach ((int offset, int length) in inner.PreTokenize(whole.AsSpan(runStart, i - runStart)))
                {
                    pieces.Add((runStart + offset, length));
                }
            }

            if (i < whole.Length)
            {
                pieces.Add((i, 1));
            }

            runStart = i + 1;
        }

        return pieces;
    }
}

/// <summary>Hugging Face's <c>NFC</c> normalizer.</summary>
internal sealed class NfcNormalizer : Normalizer
{
    public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

    public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
}
