namespace PromptKit.Tests.Metrics;

public sealed class PorterStemCacheTests
{
    [Fact]
    public void StemInPlace_RandomWordsSeenOnceTwiceAndPastTheBound_EqualsTheStemmer()
    {
        var random = new Random(1903);
        const string Letters = "abcdefghijklmnopqrstuvwxyz0123456789";
        string[] suffixes = ["ing", "ed", "s", "ies", "ational", "ness", "ly", "ization", "e", "y", "ful", "ment"];
        var words = new List<string>();
        for (int i = 0; i < PorterStemCache.MaxEntries + 5000; i++)
        {
            int length = random.Next(1, 9);
            var chars = new char[length];
            for (int c = 0; c < length; c++)
            {
                chars[c] = Letters[random.Next(random.Next(0, 4) == 0 ? Letters.Length : 26)];
            }

            words.Add(new string(chars) + suffixes[random.Next(suffixes.Length)]);
        }

        words.AddRange(["dying", "skies", "news", "generalization", "oed", "sky"]);
        var cache = new PorterStemCache();

        // Each word three times: a miss, then hits, and the memo starts over once it passes MaxEntries.
        foreach (int pass in new[] { 0, 1, 2 })
        {
            for (int i = 0; i < words.Count; i += pass == 1 ? 7 : 1)
            {
                char[] expected = words[i].ToCharArray();
                int expectedLength = PorterStemmer.StemLowercaseInPlace(expected);
                char[] actual = words[i].ToCharArray();

                int actualLength = cache.StemInPlace(actual);

                new string(actual, 0, actualLength).Should().Be(new string(expected, 0, expectedLength), $"{words[i]} on pass {pass}");
            }
        }
    }
}
