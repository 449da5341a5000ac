using System.Text;

namespace PromptKit.Tests.Metrics;

/// <summary>
/// Checks the packed-key character counting (and its fallback to the n-gram trie) through <see cref="ChrfMetric"/>
/// against a straightforward dictionary implementation of sacrebleu's <c>CHRF</c> statistics.
/// </summary>
public sealed class ChrfCharacterCounterTests
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static readonly string[] Whitespace = [" ", "  ", "\t", "\n", "\u00A0", "\u3000", "\r\n"];

    [Theory]
    [InlineData(6, 0)]
    [InlineData(6, 2)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(4, 3)]
    [InlineData(7, 0)]
    [InlineData(12, 0)]
    [InlineData(20, 0)]
    public void Accumulate_RandomText_MatchesDictionaryReference(int charOrder, int wordOrder)
    {
        var random = new Random(1234 + (charOrder * 31) + wordOrder);
        var metric = new ChrfMetric(new ChrfOptions { CharOrder = charOrder, WordOrder = wordOrder });

        for (int iteration = 0; iteration < 150; iteration++)
        {
            int alphabet = iteration % 4;
            string hypothesis = RandomText(random, alphabet);
            string first = random.Next(4) == 0 ? RandomText(random, random.Next(4)) : Perturb(random, hypothesis);
            string second = RandomText(random, alphabet);

            long[][] firstExpected = Statistics(hypothesis, first, charOrder, wordOrder);
            long[][] secondExpected = Statistics(hypothesis, second, charOrder, wordOrder);
            ChrfStatistics firstActual = Accumulate(metric, hypothesis, [first], charOrder, wordOrder);
            ChrfStatistics secondActual = Accumulate(metric, hypothesis, [second], charOrder, wordOrder);
            ChrfStatistics bothActual = Accumulate(metric, hypothesis, [first, second], charOrder, wordOrder);

            ShouldEqual(firstActual, firstExpected, $"iteration {iteration}, first reference");
            ShouldEqual(secondActual, secondExpected, $"iteration {iteration}, second reference");
            bool firstWins = metric.Score(firstActual).Score >= metric.Score(secondActual).Score;
            ShouldEqual(bothActual, firstWins ? firstExpected : secondExpected, $"iteration {iteration}, both references");
        }
    }

    [Fact]
    public void Accumulate_HypothesisWithMoreDistinctCharactersThanPackedIds_MatchesDictionaryReference()
    {
        var random = new Random(99);
        var builder = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            builder.Append((char)(0x4E00 + random.Next(2000)));
        }

        string hypothesis = builder.ToString();
        string reference = Perturb(random, hypothesis);
        var metric = new ChrfMetric(new ChrfOptions { WordOrder = 2 });

        ChrfStatistics actual = Accumulate(metric, hypothesis, [reference], 6, 2);

        ShouldEqual(actual, Statistics(hypothesis, reference, 6, 2), "more than 1,023 distinct code points");
    }

    private static ChrfStatistics Accumulate(ChrfMetric metric, string hypothesis, string[] references, int charOrder, int wordOrder)
    {
        var statistics = new ChrfStatistics(charOrder, wordOrder);
        metric.Accumulate(hypothesis, references, statistics);
        return statistics;
    }

    private static void ShouldEqual(ChrfStatistics actual, long[][] expected, string because)
    {
        actual.HypothesisCounts.ToArray().Should().Equal(expected[0], because);
        actual.ReferenceCounts.ToArray().Should().Equal(expected[1], because);
        actual.MatchCounts.ToArray().Should().Equal(expected[2], because);
    }

    /// <summary>Random text over one of four alphabets: small ASCII, Latin with accents and punctuation, astral and lone surrogates, wide CJK.</summary>
    private static string RandomText(Random random, int alphabet)
    {
        string[] symbols = alphabet switch
        {
            0 => ["a", "b", "c", "ab"],
            1 => ["a", "é", "E", "ß", ".", ",", "(", ")", "x", "\u00FF", "\u0100"],
            2 => ["a", "😀", "😁", "\uD800", "\uDC00", "\uDBFF", "b", "\uD83D"],
            _ => [],
        };
        var builder = new StringBuilder();
        int length = random.Next(0, 60);
        for (int i = 0; i < length; i++)
        {
            if (random.Next(5) == 0)
            {
                builder.Append(Whitespace[random.Next(Whitespace.Length)]);
            }
            else if (symbols.Length == 0)
            {
                builder.Append((char)(0x4E00 + random.Next(40)));
            }
            else
            {
                builder.Append(symbols[random.Next(symbols.Length)]);
            }
        }

        return builder.ToString();
    }

    private static string Perturb(Random random, string text)
    {
        var builder = new StringBuilder(text);
        for (int i = 0; i < builder.Length; i++)
        {
            if (random.Next(8) == 0)
            {
                builder[i] = random.Next(3) == 0 ? ' ' : (char)('a' + random.Next(3));
            }
        }

        return builder.ToString();
    }

    /// <summary>sacrebleu's per-order [hypothesis, reference, match] counts for one reference, with dictionaries of strings.</summary>
    private static long[][] Statistics(string hypothesis, string reference, int charOrder, int wordOrder)
    {
        int orders = charOrder + wordOrder;
        long[][] result = [new long[orders], new long[orders], new long[orders]];
        List<string> hypothesisChars = CodePoints(hypothesis);
        List<string> referenceChars = CodePoints(reference);
        List<string> hypothesisWords = Words(hypothesis);
        List<string> referenceWords = Words(reference);
        for (int k = 0; k < orders; k++)
        {
            bool isWord = k >= charOrder;
            int n = isWord ? k - charOrder + 1 : k + 1;
            Dictionary<string, int> hypothesisCounts = NGrams(isWord ? hypothesisWords : hypothesisChars, n);
            Dictionary<string, int> referenceCounts = NGrams(isWord ? referenceWords : referenceChars, n);
            long hypothesisTotal = hypothesisCounts.Values.Sum();
            long referenceTotal = referenceCounts.Values.Sum();
            long matches = 0;
            foreach ((string ngram, int count) in hypothesisCounts)
            {
                matches += Math.Min(count, referenceCounts.GetValueOrDefault(ngram));
            }

            result[0][k] = referenceTotal > 0 ? hypothesisTotal : 0;
            result[1][k] = referenceTotal;
            result[2][k] = matches;
        }

        return result;
    }

    private static Dictionary<string, int> NGrams(List<string> items, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= items.Count; i++)
        {
            string key = string.Join('\u0001', items.GetRange(i, n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    /// <summary>Python code points without whitespace: a surrogate pair is one, a lone surrogate is one.</summary>
    private static List<string> CodePoints(string text)
    {
        var result = new List<string>();
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                continue;
            }

            bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            result.Add(pair ? text.Substring(i++, 2) : text[i].ToString());
        }

        return result;
    }

    /// <summary>sacrebleu's <c>_remove_punctuation</c> over <c>str.split()</c> words.</summary>
    private static List<string> Words(string text)
    {
        var result = new List<string>();
        foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length == 1)
            {
                result.Add(word);
            }
            else if (Punctuation.Contains(word[^1], StringComparison.Ordinal))
            {
                result.Add(word[..^1]);
                result.Add(word[^1..]);
            }
            else if (Punctuation.Contains(word[0], StringComparison.Ordinal))
            {
                result.Add(word[..1]);
                result.Add(word[1..]);
            }
            else
            {
                result.Add(word);
            }
        }

        return result;
    }
}
