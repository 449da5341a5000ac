using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PromptKit;

/// <summary>A normalized word of an answer or a title, with its position in the source text.</summary>
internal readonly record struct AnswerToken(string Text, int Start, int End);

/// <summary>A candidate mention found in a token list: tokens [First, First + Count), naming one of Candidates.</summary>
internal readonly record struct CandidateMention(int First, int Count, int[] Candidates);

/// <summary>
/// Lookup tables from normalized ids and title variants to candidate indices, and the token matching used by
/// <see cref="RankingParser"/>. Built once per <see cref="RankingParser.Parse(string, IReadOnlyList{RankingCandidate})"/> call.
/// </summary>
internal sealed partial class RankingCandidateIndex
{
    private static readonly string[] IdContextWords = ["id", "ids", "item", "itemid", "no", "nr"];

    private readonly Dictionary<string, int[]> _idKeys;
    private readonly Dictionary<string, int[]> _titleKeys;
    private readonly Dictionary<string, Alias[]> _idsByFirstToken;
    private readonly Dictionary<string, Alias[]> _titlesByFirstToken;

    private RankingCandidateIndex(Dictionary<string, List<int>> ids, Dictionary<string, List<int>> titles)
    {
        _idKeys = Freeze(ids);
        _titleKeys = Freeze(titles);
        _idsByFirstToken = GroupByFirstToken(_idKeys, isId: true);
        _titlesByFirstToken = GroupByFirstToken(_titleKeys, isId: false);
    }

    /// <summary>Builds the index; throws <see cref="ArgumentException"/> for null entries or ids that collide.</summary>
    public static RankingCandidateIndex Create(IReadOnlyList<RankingCandidate> candidates, string paramName)
    {
        var ids = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var titles = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new List<AnswerToken>();
        for (int i = 0; i < candidates.Count; i++)
        {
            RankingCandidate candidate = candidates[i]
                ?? throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The candidate at index {i} is null. Remove it or pass a {nameof(RankingCandidate)}."),
                    paramName);

            string idKey = Key(candidate.Id, tokens);
            string uniqueKey = idKey.Length > 0 ? idKey : candidate.Id;
            if (!seenIds.TryAdd(uniqueKey, i))
            {
                throw new ArgumentException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"The candidates at index {seenIds[uniqueKey]} and {i} have the same id '{candidate.Id}' (ids are compared ignoring case and punctuation). Give every candidate a unique id."),
                    paramName);
            }

            if (idKey.Length > 0)
            {
                Add(ids, idKey, i);
            }

            foreach (string variant in TitleVariants(candidate.Title))
            {
                string key = Key(variant, tokens);
                if (key.Length > 0)
                {
                    Add(titles, key, i);
                }
            }
        }

        return new RankingCandidateIndex(ids, titles);
    }

    /// <summary>
    /// Splits <paramref name="text"/>[start..end) into lower-case words of letters and digits with diacritics removed;
    /// apostrophes inside words are dropped ("Schindler's" = "schindlers") and "&amp;" reads as "and".
    /// </summary>
    public static void Tokenize(string text, int start, int end, List<AnswerToken> tokens)
    {
        var builder = new StringBuilder();
        int tokenStart = -1;
        int tokenEnd = -1;
        bool nonAscii = false;
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                if (tokenStart < 0)
                {
                    tokenStart = i;
                }

                builder.Append(char.ToLowerInvariant(c));
                nonAscii |= c > '\u007f';
                tokenEnd = i + 1;
                continue;
            }

            if (tokenStart >= 0 && (c is '\'' or '\u2019' or '\u2018' or '`'
                || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
            {
                continue;
            }

            Flush();
            if (c == '&')
            {
                tokens.Add(new AnswerToken("and", i, i + 1));
            }
        }

        Flush();

        void Flush()
        {
            if (tokenStart < 0)
            {
                return;
            }

            string word = builder.ToString();
            tokens.Add(new AnswerToken(nonAscii ? RemoveDiacritics(word) : word, tokenStart, tokenEnd));
            builder.Clear();
            tokenStart = -1;
            nonAscii = false;
        }
    }

    /// <summary>Joins the token texts of tokens[first..first+count) with single spaces.</summary>
    public static string Join(List<AnswerToken> tokens, int first, int count)
    {
        var builder = new StringBuilder();
        for (int i = first; i < first + count; i++)
        {
            if (i > first)
            {
                builder.Append(' ');
            }

            builder.Append(tokens[i].Text);
        }

        return builder.ToString();
    }

    /// <summary>Returns the candidates whose normalized id is exactly the given token range.</summary>
    public int[]? ExactId(List<AnswerToken> tokens, int first, int count) =>
        count > 0 && _idKeys.TryGetValue(Join(tokens, first, count), out int[]? found) ? found : null;

    /// <summary>Returns the candidates whose normalized title (or a title variant) is exactly the given token range.</summary>
    public int[]? ExactTitle(List<AnswerToken> tokens, int first, int count) =>
        count > 0 && _titleKeys.TryGetValue(Join(tokens, first, count), out int[]? found) ? found : null;

    /// <summary>
    /// Tries to match a candidate id starting at token <paramref name="position"/>. Ids with both letters and digits (or
    /// several words) match anywhere; plain numbers or words only in an id context: "[12]", "#12", "id: 12", "item 12".
    /// </summary>
    public bool TryMatchId(string text, List<AnswerToken> tokens, int first, int position, int limit, out CandidateMention mention)
    {
        mention = default;
        if (!_idsByFirstToken.TryGetValue(tokens[position].Text, out Alias[]? aliases))
        {
            return false;
        }

        foreach (Alias alias in aliases)
        {
            if (Matches(tokens, position, limit, alias.Tokens)
                && (alias.Distinctive || HasIdContext(text, tokens, first, position, position + alias.Tokens.Length - 1)))
            {
                mention = new CandidateMention(position, alias.Tokens.Length, alias.Candidates);
                return true;
            }
        }

        return false;
    }

    /// <summary>Tries to match the longest candidate title variant that starts at token <paramref name="position"/>.</summary>
    public bool TryMatchTitle(List<AnswerToken> tokens, int position, int limit, out CandidateMention mention)
    {
        mention = default;
        if (!_titlesByFirstToken.TryGetValue(tokens[position].Text, out Alias[]? aliases))
        {
            return false;
        }

        foreach (Alias alias in aliases)
        {
            if (Matches(tokens, position, limit, alias.Tokens))
            {
                mention = new CandidateMention(position, alias.Tokens.Length, alias.Candidates);
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> TitleVariants(string title)
    {
        yield return title;
        Match year = TrailingYearRegex().Match(title);
        string withoutYear = year.Success ? title[..year.Index] : title;
        string withoutParentheses = ParenthesesRegex().Replace(withoutYear, " ");
        foreach (string variant in new[] { withoutYear, withoutParentheses })
        {
            yield return variant;
            Match article = TrailingArticleRegex().Match(variant);
            if (article.Success)
            {
                // MovieLens style "Matrix, The": also "The Matrix" and "Matrix".
                yield return article.Groups["article"].Value + " " + article.Groups["body"].Value;
                yield return article.Groups["body"].Value;
            }
        }
    }

    private static bool HasIdContext(string text, List<AnswerToken> tokens, int first, int position, int last)
    {
        int before = tokens[position].Start - 1;
        while (before >= 0 && text[before] == ' ')
        {
            before--;
        }

        if (before >= 0 && text[before] == '#')
        {
            return true;
        }

        if (before >= 0 && text[before] == '[')
        {
            int after = tokens[last].End;
            while (after < text.Length && text[after] == ' ')
            {
                after++;
            }

            if (after < text.Length && text[after] == ']')
            {
                return true;
            }
        }

        if (position > first && Array.IndexOf(IdContextWords, tokens[position - 1].Text) >= 0)
        {
            // Only separators such as ": ", " #", "=" may stand between "id" and the value.
            for (int i = tokens[position - 1].End; i < tokens[position].Start; i++)
            {
                if (text[i] is not (' ' or ':' or '#' or '=' or '-' or '.' or '\t'))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    private static bool Matches(List<AnswerToken> tokens, int position, int limit, string[] aliasTokens)
    {
        if (position + aliasTokens.Length > limit)
        {
            return false;
        }

        for (int i = 0; i < aliasTokens.Length; i++)
        {
            if (!string.Equals(tokens[position + i].Text, aliasTokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(string text, List<AnswerToken> scratch)
    {
        scratch.Clear();
        Tokenize(text, 0, text.Length, scratch);
        return Join(scratch, 0, scratch.Count);
    }

    private static void Add(Dictionary<string, List<int>> map, string key, int candidate)
    {
        if (!map.TryGetValue(key, out List<int>? list))
        {
            map.Add(key, list = []);
        }

        if (!list.Contains(candidate))
        {
            list.Add(candidate);
        }
    }

    private static Dictionary<string, int[]> Freeze(Dictionary<string, List<int>> map)
    {
        var frozen = new Dictionary<string, int[]>(map.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, List<int>> pair in map)
        {
            frozen.Add(pair.Key, [.. pair.Value]);
        }

        return frozen;
    }

    private static Dictionary<string, Alias[]> GroupByFirstToken(Dictionary<string, int[]> keys, bool isId)
    {
        var groups = new Dictionary<string, List<Alias>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, int[]> pair in keys)
        {
            string[] aliasTokens = pair.Key.Split(' ');
            bool distinctive = isId && (aliasTokens.Length > 1 || (pair.Key.Any(char.IsLetter) && pair.Key.Any(char.IsDigit)));
            if (!groups.TryGetValue(aliasTokens[0], out List<Alias>? list))
            {
                groups.Add(aliasTokens[0], list = []);
            }

            list.Add(new Alias(aliasTokens, pair.Value, distinctive));
        }

        var result = new Dictionary<string, Alias[]>(groups.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<string, List<Alias>> pair in groups)
        {
            // Longest first, so "Alien vs Predator" wins over "Alien" at the same position.
            result.Add(pair.Key, [.. pair.Value.OrderByDescending(a => a.Tokens.Length)]);
        }

        return result;
    }

    private static string RemoveDiacritics(string word)
    {
        string decomposed = word.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    [GeneratedRegex(@"\(\s*\d{4}\s*\)\s*$")]
    private static partial Regex TrailingYearRegex();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex ParenthesesRegex();

    [GeneratedRegex(@"^\s*(?<body>.+?)\s*,\s*(?<article>the|a|an|les|la|le|l'|il|el|die|der|das)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingArticleRegex();

    private sealed class Alias(string[] tokens, int[] candidates, bool distinctive)
    {
        public string[] Tokens { get; } = tokens;

        public int[] Candidates { get; } = candidates;

        public bool Distinctive { get; } = distinctive;
    }
}
