using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PromptKit;

/// <summary>
/// Reads a ranking of known candidates from a language model's free-text answer: numbered or bulleted lists, JSON
/// arrays, comma- or semicolon-separated lists and prose, naming candidates by id or by title.
/// </summary>
/// <remarks>
/// <para>
/// How the answer is read, in order (when the answer contains a reasoning block closed by <c>&lt;/think&gt;</c>, only the
/// text after the last one is read; a block opened with <c>&lt;think&gt;</c> and never closed means the model ran out of
/// tokens before answering, which is a parse failure):
/// </para>
/// <list type="number">
/// <item><description>
/// Positions: an answer made only of whole numbers (comma-, semicolon- or line-separated, optionally in brackets) is
/// read as list positions, 1 being the first of the given candidates, when the numbers can only be positions: two or
/// more, all distinct, all between 1 and the number of candidates, and none of them a candidate's id. (Models asked for
/// ids often answer with the numbers of the numbered candidate list.)
/// </description></item>
/// <item><description>
/// JSON: the first JSON array of strings, objects (with <c>id</c> and/or <c>title</c>/<c>name</c> properties) or of two
/// or more numbers, anywhere in the answer (for example inside a code fence), whose elements name a candidate. Each
/// element is one item.
/// </description></item>
/// <item><description>
/// List: lines that start with a list marker ("1.", "1)", "(1)", "#1 -", "1:", "Rank 1:", "-", "*", "•", or a leading
/// "[id]"). Numbered lines take precedence over "[id]" lines, which take precedence over bullets; nested (more
/// indented) lines and unmarked lines, such as explanations, are ignored. Each list line is one item.
/// </description></item>
/// <item><description>
/// Free text otherwise: every candidate mention, line by line in reading order (covers "A, B; C", one title per line,
/// and prose).
/// </description></item>
/// </list>
/// <para>
/// Within an item the first match wins, by priority: the whole item is a candidate id; an id token ("[12]", "#12",
/// "id: 12", "(id: 12)", "item 12", or an id with both letters and digits anywhere); the whole item is a title; a title
/// contained in the item, the earliest one, taking the longest title at that position (so "Aliens" never matches
/// "Alien", and "Alien vs. Predator" beats "Alien"). Titles are compared on words: case, punctuation, diacritics,
/// apostrophes and white space are ignored, "&amp;" reads as "and", and a title also matches without its trailing
/// "(year)", without parenthesized alternate titles, and with a MovieLens-style trailing article moved to the front
/// ("Matrix, The" = "The Matrix" = "Matrix").
/// </para>
/// <para>
/// A candidate named again is counted in <see cref="RankingParseResult.DuplicateCount"/> and keeps its first position.
/// When several candidates share a title, a mention of it goes to the first of them (in candidate order) not yet
/// ranked. List items and JSON elements that name no candidate are reported in
/// <see cref="RankingParseResult.UnknownItems"/>; in free text, so are short title-like fragments of a separated list
/// that names other candidates, but not prose.
/// </para>
/// <para>
/// Cost is linear in the answer length times the number of title variants sharing a first word; answers beyond
/// <see cref="RankingParserOptions.MaxAnswerLength"/> are truncated. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class RankingParser
{
    private const int MaxJsonAttempts = 16;
    private const int MaxUnknownItemWords = 8;

    private static readonly string[] NumberPrefixes = ["ranking", "rank", "number", "no.", "nr."];
    private static readonly string[] ListConjunctions = ["and ", "or ", "then ", "& "];
    private const string DecorationChars = " \t*_`\"\u201c\u201d,;";

    private readonly int _maxAnswerLength;
    private readonly OmittedCandidateOrder _omittedOrder;
    private readonly int _seed;

    /// <summary>Initializes a new instance of the <see cref="RankingParser"/> class.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. The values are copied.</param>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> holds invalid values; every problem is listed.</exception>
    public RankingParser(RankingParserOptions? options = null)
    {
        options ??= new RankingParserOptions();
        var failures = new List<string>();
        ValidateOptionsResult result = new RankingParserOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        if (!Enum.IsDefined(options.OmittedOrder))
        {
            failures.Add(
                $"{nameof(RankingParserOptions.OmittedOrder)} ({options.OmittedOrder}) is not a defined {nameof(OmittedCandidateOrder)} value.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RankingParserOptions), failures);
        }

        _maxAnswerLength = options.MaxAnswerLength;
        _omittedOrder = options.OmittedOrder;
        _seed = options.Seed;
    }

    private enum LineKind
    {
        Plain,
        Bullet,
        BracketId,
        Numbered,
    }

    /// <summary>Parses a ranking of <paramref name="candidates"/> from <paramref name="answer"/>.</summary>
    /// <param name="answer">The model's answer.</param>
    /// <param name="candidates">The candidates the model was asked to rank; ids must be unique.</param>
    /// <returns>
    /// The complete ranking with diagnostics. An empty or unparseable answer gives
    /// <see cref="RankingParseStatus.Failed"/> and all candidates in the omitted order; an empty candidate list gives an
    /// empty ranking.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="answer"/> or <paramref name="candidates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="candidates"/> contains <see langword="null"/> or two candidates with the same id.</exception>
    public RankingParseResult Parse(string answer, IReadOnlyList<RankingCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(candidates);
        RankingCandidateIndex index = RankingCandidateIndex.Create(candidates, nameof(candidates));

        // Reasoning models put their deliberation before the answer: only the text after it is the ranking. An
        // unclosed block (the model ran out of tokens while thinking) holds no answer at all.
        string text = answer;
        int thinkEnd = text.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        if (thinkEnd >= 0)
        {
            text = text[(thinkEnd + "</think>".Length)..];
        }
        else if (text.Contains("<think>", StringComparison.OrdinalIgnoreCase))
        {
            text = string.Empty;
        }

        bool truncated = text.Length > _maxAnswerLength;
        if (truncated)
        {
            int cut = _maxAnswerLength;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut];
        }

        text = SplitInlineNumbering(text);
        var state = new ParseState(candidates.Count);
        if (TryParsePositions(text, candidates, state))
        {
            return state.ToResult(_omittedOrder, _seed, truncated);
        }

        if (!TryParseJson(text, index, state))
        {
            ParseLines(text, index, state);
        }

        return state.ToResult(_omittedOrder, _seed, truncated);
    }

    /// <summary>
    /// Reads an answer made only of whole numbers ("8, 6, 7", "[8, 6, 7]", one per line, optionally ending with a period)
    /// as list positions (1 = the first candidate given) when the numbers can only be positions: two or more, all
    /// distinct, all between 1 and the number of candidates, and none of them a candidate's id.
    /// </summary>
    private static bool TryParsePositions(string text, IReadOnlyList<RankingCandidate> candidates, ParseState state)
    {
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        span = span.TrimEnd('.');
        var positions = new List<int>(candidates.Count);
        int i = 0;
        while (i < span.Length)
        {
            char c = span[i];
            if (c is ',' or ';' || char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            int start = i;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                i++;
            }

            if (i - start > 6 || !int.TryParse(span[start..i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number)
                || number < 1 || number > candidates.Count || positions.Contains(number))
            {
                return false;
            }

            positions.Add(number);
        }

        if (positions.Count < 2)
        {
            return false;
        }

        foreach (RankingCandidate candidate in candidates)
        {
            foreach (int number in positions)
            {
                if (string.Equals(candidate.Id, number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                {
                    return false; // a candidate id: the numbers may be ids, so the id reading decides
                }
            }
        }

        foreach (int number in positions)
        {
            state.Accept([number - 1]);
        }

        return true;
    }

    /// <summary>
    /// Puts an inline numbered list ("1. Heat, 2. Alien 3) Aliens") on separate lines. Only a line that starts with
    /// "1." or "1)" is split, and only before the next number in sequence, so numbers in titles or prose stay.
    /// </summary>
    private static string SplitInlineNumbering(string text)
    {
        StringBuilder? builder = null;
        int lineStart = 0;
        while (lineStart < text.Length)
        {
            int newline = text.IndexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.Length : newline;
            int first = SkipEmphasis(text, SkipSpaces(text, lineStart, lineEnd), lineEnd);
            int copied = lineStart;
            if (first + 1 < lineEnd && text[first] == '1' && text[first + 1] is '.' or ')')
            {
                char terminator = text[first + 1];
                int search = first + 2;
                for (int number = 2; number < 1000; number++)
                {
                    string marker = number.ToString(System.Globalization.CultureInfo.InvariantCulture) + terminator;
                    int at = text.IndexOf(marker, search, lineEnd - search, StringComparison.Ordinal);
                    while (at >= 0 && !IsInlineMarkerAt(text, at, marker.Length, lineEnd))
                    {
                        at = text.IndexOf(marker, at + 1, lineEnd - at - 1, StringComparison.Ordinal);
                    }

                    if (at < 0)
                    {
                        break;
                    }

                    builder ??= new StringBuilder(text.Length + 64).Append(text, 0, lineStart);
                    builder.Append(text, copied, at - copied).Append('\n');
                    copied = at;
                    search = at + marker.Length;
                }
            }

            int next = newline < 0 ? text.Length : newline + 1;
            builder?.Append(text, copied, next - copied);
            lineStart = next;
        }

        return builder?.ToString() ?? text;
    }

    private static bool IsInlineMarkerAt(string text, int at, int length, int lineEnd) =>
        at > 0 && (char.IsWhiteSpace(text[at - 1]) || text[at - 1] is ',' or ';' or '*')
        && !char.IsAsciiDigit(text[at - 1])
        && at + length < lineEnd && char.IsWhiteSpace(text[at + length]);

    private static bool TryParseJson(string text, RankingCandidateIndex index, ParseState state)
    {
        if (!text.Contains('[', StringComparison.Ordinal))
        {
            return false;
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int attempts = 0;
        int position = Array.IndexOf(utf8, (byte)'[');
        while (position >= 0 && attempts < MaxJsonAttempts)
        {
            int next = position + 1;
            while (next < utf8.Length && utf8[next] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                next++;
            }

            int consumed = 1;
            if (next < utf8.Length && utf8[next] is (byte)'"' or (byte)'{' or (>= (byte)'0' and <= (byte)'9'))
            {
                attempts++;
                List<string>? elements = ReadJsonArray(utf8.AsSpan(position), out int bytesConsumed, out bool numbersOnly);
                if (elements is not null && (!numbersOnly || elements.Count >= 2))
                {
                    consumed = bytesConsumed;
                    foreach (string element in elements)
                    {
                        ParseItem(element, 0, element.Length, index, state);
                    }

                    if (state.MatchedCount > 0)
                    {
                        return true;
                    }

                    state.Reset();
                }
            }

            position = Array.IndexOf(utf8, (byte)'[', position + consumed);
        }

        return false;
    }

    private static List<string>? ReadJsonArray(ReadOnlySpan<byte> utf8, out int bytesConsumed, out bool numbersOnly)
    {
        bytesConsumed = 0;
        numbersOnly = true;
        var reader = new Utf8JsonReader(
            utf8, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        JsonDocument? document;
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out document))
            {
                return null;
            }
        }
        catch (JsonException)
        {
            // Not JSON at this '[' (for example "[12] Alien"): the caller tries the next bracket, then the line parser.
            return null;
        }

        using (document)
        {
            bytesConsumed = (int)reader.BytesConsumed;
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var elements = new List<string>();
            foreach (JsonElement element in document.RootElement.EnumerateArray())
            {
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        numbersOnly = false;
                        elements.Add(element.GetString()!);
                        break;
                    case JsonValueKind.Number:
                        elements.Add("[" + element.GetRawText() + "]");
                        break;
                    case JsonValueKind.Object:
                        numbersOnly = false;
                        elements.Add(ObjectText(element));
                        break;
                    default:
                        break;
                }
            }

            return elements;
        }
    }

    private static string ObjectText(JsonElement element)
    {
        string? id = null;
        string? title = null;
        var other = new StringBuilder();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            string name = property.Name.ToUpperInvariant();
            if (id is null && name is "ID" or "ITEM_ID" or "ITEMID" or "ITEM ID")
            {
                id = value;
            }
            else if (title is null && name is "TITLE" or "NAME" or "ITEM" or "MOVIE" or "TEXT")
            {
                title = value;
            }
            else
            {
                other.Append(value).Append(' ');
            }
        }

        if (id is null && title is null)
        {
            return other.ToString().Trim();
        }

        return (id is null ? string.Empty : "[" + id + "] ") + (title ?? string.Empty);
    }

    private static void ParseLines(string text, RankingCandidateIndex index, ParseState state)
    {
        var lines = new List<Line>();
        int start = 0;
        while (start <= text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            int trimmedEnd = end > start && text[end - 1] == '\r' ? end - 1 : end;
            LineKind kind = ReadMarker(text, start, trimmedEnd, out int contentStart, out int indent);
            int[]? found = kind == LineKind.Plain ? null : FindItemCandidates(text, contentStart, trimmedEnd, index);
            lines.Add(new Line(start, contentStart, trimmedEnd, kind, indent, found));
            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        LineKind listKind = LineKind.Plain;
        int listIndent = int.MaxValue;
        foreach (Line line in lines)
        {
            if (line.Found is not null && line.Kind >= listKind)
            {
                listIndent = line.Kind > listKind ? line.Indent : Math.Min(listIndent, line.Indent);
                listKind = line.Kind;
            }
        }

        if (listKind != LineKind.Plain)
        {
            foreach (Line line in lines)
            {
                if (line.Kind != listKind || line.Indent > listIndent)
                {
                    continue;
                }

                if (line.Found is not null)
                {
                    state.Accept(line.Found);
                }
                else
                {
                    state.AddUnknown(text, line.ContentStart, line.End);
                }
            }

            return;
        }

        ParseFreeText(text, lines, index, state);
        if (state.MatchedCount == 0)
        {
            // Nothing named anywhere: report the list lines (of the outermost, strongest marker kind) as unknown items.
            state.Reset();
            LineKind kind = LineKind.Plain;
            int indent = int.MaxValue;
            foreach (Line line in lines)
            {
                if (line.Kind != LineKind.Plain && line.ContentStart < line.End && line.Kind >= kind)
                {
                    indent = line.Kind > kind ? line.Indent : Math.Min(indent, line.Indent);
                    kind = line.Kind;
                }
            }

            foreach (Line line in lines)
            {
                if (kind != LineKind.Plain && line.Kind == kind && line.Indent <= indent)
                {
                    state.AddUnknown(text, line.ContentStart, line.End);
                }
            }
        }
    }

    private static void ParseItem(string text, int start, int end, RankingCandidateIndex index, ParseState state)
    {
        int[]? found = FindItemCandidates(text, start, end, index);
        if (found is not null)
        {
            state.Accept(found);
        }
        else
        {
            state.AddUnknown(text, start, end);
        }
    }

    private static int[]? FindItemCandidates(string text, int start, int end, RankingCandidateIndex index)
    {
        var tokens = new List<AnswerToken>();
        RankingCandidateIndex.Tokenize(text, start, end, tokens);
        if (tokens.Count == 0)
        {
            return null;
        }

        int[]? found = index.ExactId(tokens, 0, tokens.Count);
        if (found is not null)
        {
            return found;
        }

        for (int p = 0; p < tokens.Count; p++)
        {
            if (index.TryMatchId(text, tokens, 0, p, tokens.Count, out CandidateMention mention))
            {
                return mention.Candidates;
            }
        }

        found = index.ExactTitle(tokens, 0, tokens.Count);
        if (found is not null)
        {
            return found;
        }

        for (int p = 0; p < tokens.Count; p++)
        {
            if (index.TryMatchTitle(tokens, p, tokens.Count, out CandidateMention mention))
            {
                return mention.Candidates;
            }
        }

        return null;
    }

    private static void ParseFreeText(string text, List<Line> lines, RankingCandidateIndex index, ParseState state)
    {
        var perLine = new List<(Line Line, List<AnswerToken> Tokens, List<CandidateMention> Mentions)>(lines.Count);
        int singleItemLines = 0;
        foreach (Line line in lines)
        {
            var tokens = new List<AnswerToken>();
            RankingCandidateIndex.Tokenize(text, line.ContentStart, line.End, tokens);
            List<CandidateMention> mentions = FindAllMentions(text, line.ContentStart, line.End, tokens, index);
            if (mentions.Count == 1 && mentions[0].First == 0 && mentions[0].Count == tokens.Count)
            {
                singleItemLines++;
            }

            perLine.Add((line, tokens, mentions));
        }

        foreach ((Line line, List<AnswerToken> tokens, List<CandidateMention> mentions) in perLine)
        {
            foreach (CandidateMention mention in mentions)
            {
                state.Accept(mention.Candidates);
            }

            if (mentions.Count > 0)
            {
                AddUnknownPieces(text, line, tokens, mentions, state);
            }
            else if (singleItemLines >= 2 && IsTitleLike(text, line.ContentStart, line.End, stripFinalPeriod: false))
            {
                // An answer of one title per line: a line naming no candidate is an unknown item, unless it reads as prose.
                state.AddUnknown(text, line.ContentStart, line.End);
            }
        }
    }

    private static List<CandidateMention> FindAllMentions(
        string text, int start, int end, List<AnswerToken> tokens, RankingCandidateIndex index)
    {
        var mentions = new List<CandidateMention>();
        int p = 0;
        while (p < tokens.Count)
        {
            if (index.TryMatchId(text, tokens, 0, p, tokens.Count, out CandidateMention mention)
                || index.TryMatchTitle(tokens, p, tokens.Count, out mention))
            {
                mentions.Add(mention);
                p += mention.Count;
            }
            else
            {
                p++;
            }
        }

        if (mentions.Count > 0)
        {
            return mentions;
        }

        // Bare ids ("3, 1, 10" or a line "3") count only on a line that names nothing else, so that a number such as
        // the rank column of a table is not read as an id next to a title.
        int tokenIndex = 0;
        for (int i = start; i <= end; i++)
        {
            if (i < end && !IsSeparator(text[i]))
            {
                continue;
            }

            int first = tokenIndex;
            while (tokenIndex < tokens.Count && tokens[tokenIndex].Start < i)
            {
                tokenIndex++;
            }

            int[]? found = index.ExactId(tokens, first, tokenIndex - first);
            if (found is not null)
            {
                mentions.Add(new CandidateMention(first, tokenIndex - first, found));
            }
        }

        return mentions;
    }

    private static void AddUnknownPieces(
        string text, Line line, List<AnswerToken> tokens, List<CandidateMention> mentions, ParseState state)
    {
        int pieceStart = line.ContentStart;
        int pieces = 0;
        for (int i = line.ContentStart; i < line.End; i++)
        {
            if (IsSeparator(text[i]))
            {
                pieces++;
            }
        }

        if (pieces == 0)
        {
            return;
        }

        for (int i = line.ContentStart; i <= line.End; i++)
        {
            if (i < line.End && !IsSeparator(text[i]))
            {
                continue;
            }

            int pieceEnd = i;
            if (pieceEnd > pieceStart && !OverlapsMention(tokens, mentions, pieceStart, pieceEnd))
            {
                int colon = text.LastIndexOf(':', pieceEnd - 1, pieceEnd - pieceStart);
                int from = colon >= 0 ? colon + 1 : pieceStart;
                from = SkipListMarker(text, from, pieceEnd);
                if (IsTitleLike(text, from, pieceEnd, stripFinalPeriod: true))
                {
                    state.AddUnknown(text, from, pieceEnd);
                }
            }

            pieceStart = i + 1;
        }
    }

    private static bool OverlapsMention(List<AnswerToken> tokens, List<CandidateMention> mentions, int start, int end)
    {
        foreach (CandidateMention mention in mentions)
        {
            int mentionStart = tokens[mention.First].Start;
            int mentionEnd = tokens[mention.First + mention.Count - 1].End;
            if (mentionStart < end && mentionEnd > start)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Decides whether a fragment that names no candidate reads as a listed item (reported as unknown) rather than
    /// prose: at most 8 words, starting with an upper-case letter, digit or quote, not ending in '!', '?' or ':' (nor
    /// '.', for whole lines).
    /// </summary>
    private static bool IsTitleLike(string text, int start, int end, bool stripFinalPeriod)
    {
        ReadOnlySpan<char> span = TrimDecoration(text.AsSpan(start, end - start));
        foreach (string conjunction in ListConjunctions)
        {
            if (span.StartsWith(conjunction, StringComparison.OrdinalIgnoreCase))
            {
                span = TrimDecoration(span[conjunction.Length..]);
                break;
            }
        }

        if (stripFinalPeriod && span.EndsWith('.'))
        {
            span = span[..^1];
        }

        if (span.IsEmpty || span[^1] is '.' or '!' or '?' or ':')
        {
            return false;
        }

        char first = span[0];
        if (!(char.IsUpper(first) || char.IsDigit(first) || first is '"' or '\u201c' or '\'' or '['))
        {
            return false;
        }

        if (!ContainsLetter(span, orDigit: false))
        {
            return false; // a rank or score column, not an item
        }

        int words = 0;
        bool inWord = false;
        foreach (char c in span)
        {
            bool letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                words++;
            }

            inWord = letter;
        }

        return words is > 0 and <= MaxUnknownItemWords;
    }

    private static ReadOnlySpan<char> TrimDecoration(ReadOnlySpan<char> span) => span.Trim(DecorationChars);

    private static bool ContainsLetter(ReadOnlySpan<char> span, bool orDigit)
    {
        foreach (char c in span)
        {
            if (char.IsLetter(c) || (orDigit && char.IsDigit(c)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSeparator(char c) => c is ',' or ';' or '|';

    private static int SkipListMarker(string text, int start, int end)
    {
        LineKind kind = ReadMarker(text, start, end, out int contentStart, out _);
        return kind is LineKind.Numbered or LineKind.Bullet ? contentStart : start;
    }

    private static LineKind ReadMarker(string text, int start, int end, out int contentStart, out int indent)
    {
        int i = start;
        indent = 0;
        while (i < end && text[i] is ' ' or '\t')
        {
            indent += text[i] == '\t' ? 4 : 1;
            i++;
        }

        while (i < end && text[i] == '>')
        {
            i = SkipSpaces(text, i + 1, end);
        }

        if (i < end && text[i] == '#')
        {
            int hashes = i;
            while (hashes < end && text[hashes] == '#')
            {
                hashes++;
            }

            if (hashes < end && text[hashes] == ' ')
            {
                i = SkipSpaces(text, hashes, end);
            }
        }

        i = SkipEmphasis(text, i, end);
        LineKind kind = LineKind.Plain;
        if (i < end && IsBullet(text, i, end))
        {
            kind = LineKind.Bullet;
            i = SkipEmphasis(text, SkipSpaces(text, i + 1, end), end);
        }

        if (TryReadNumber(text, i, end, out int afterNumber))
        {
            kind = LineKind.Numbered;
            i = afterNumber;
        }
        else if (kind == LineKind.Plain && i < end && text[i] == '[')
        {
            kind = LineKind.BracketId;
        }

        contentStart = i;
        return kind;
    }

    private static bool IsBullet(string text, int i, int end)
    {
        char c = text[i];
        if (c is '\u2022' or '\u25aa' or '\u25e6' or '\u00b7' or '\u2023' or '\u2043')
        {
            return true;
        }

        return c is '-' or '*' or '+' or '\u2013' or '\u2014' && (i + 1 == end || char.IsWhiteSpace(text[i + 1]));
    }

    private static bool TryReadNumber(string text, int start, int end, out int after)
    {
        after = start;
        int i = start;
        bool prefixed = false;
        foreach (string prefix in NumberPrefixes)
        {
            if (text.AsSpan(i, end - i).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                int next = i + prefix.Length;
                if (next < end && (text[next] is ' ' or '#' || char.IsDigit(text[next])))
                {
                    i = SkipSpaces(text, next, end);
                    prefixed = true;
                    break;
                }
            }
        }

        if (i < end && text[i] == '#')
        {
            i++;
            prefixed = true;
        }

        bool parenthesized = i < end && text[i] == '(';
        if (parenthesized)
        {
            i++;
        }

        int digits = i;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == digits || i - digits > 3)
        {
            return false;
        }

        if (i + 1 < end && text.AsSpan(i, 2) is "st" or "nd" or "rd" or "th")
        {
            i += 2;
        }

        if (parenthesized)
        {
            if (i >= end || text[i] != ')')
            {
                return false;
            }

            i++;
        }
        else if (i < end && text[i] is '.' or ')' or ':' or ']')
        {
            if (text[i] == '.' && i + 1 < end && char.IsAsciiDigit(text[i + 1]))
            {
                return false; // "3.5 stars"
            }

            i++;
        }
        else
        {
            int k = SkipSpaces(text, i, end);
            if (k < end && text[k] is '-' or '\u2013' or '\u2014' or ':' && (k + 1 == end || char.IsWhiteSpace(text[k + 1])))
            {
                i = k + 1;
            }
            else if (!(prefixed && k > i && k < end))
            {
                return false; // "12 Angry Men" is a title, not "12." followed by one
            }
        }

        i = SkipEmphasis(text, SkipSpaces(text, i, end), end);
        if (i < end && text[i] is '-' or '\u2013' or '\u2014' && (i + 1 == end || char.IsWhiteSpace(text[i + 1])))
        {
            i = SkipSpaces(text, i + 1, end);
        }

        after = i;
        return true;
    }

    private static int SkipSpaces(string text, int i, int end)
    {
        while (i < end && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static int SkipEmphasis(string text, int i, int end)
    {
        int j = i;
        while (j < end && text[j] is '*' or '_' or '`')
        {
            j++;
        }

        // "**1.**" or "*Alien*" are emphasis; "* Alien" is a bullet and stays.
        return j - i >= 2 || (j - i == 1 && j < end && !char.IsWhiteSpace(text[j])) ? SkipSpaces(text, j, end) : i;
    }

    private readonly record struct Line(int Start, int ContentStart, int End, LineKind Kind, int Indent, int[]? Found);

    private sealed class ParseState(int candidateCount)
    {
        private readonly List<int> _ranked = new(candidateCount);
        private readonly bool[] _used = new bool[candidateCount];
        private readonly List<string> _unknown = [];
        private int _duplicates;

        public int MatchedCount => _ranked.Count;

        public void Accept(int[] candidates)
        {
            foreach (int candidate in candidates)
            {
                if (!_used[candidate])
                {
                    _used[candidate] = true;
                    _ranked.Add(candidate);
                    return;
                }
            }

            _duplicates++;
        }

        public void AddUnknown(string text, int start, int end)
        {
            var builder = new StringBuilder(end - start);
            foreach (char c in text.AsSpan(start, end - start))
            {
                if (c is not ('*' or '`'))
                {
                    builder.Append(c);
                }
            }

            string item = builder.ToString().AsSpan().Trim(DecorationChars).ToString();
            if (ContainsLetter(item, orDigit: true))
            {
                _unknown.Add(item);
            }
        }

        public void Reset()
        {
            _ranked.Clear();
            Array.Clear(_used);
            _unknown.Clear();
            _duplicates = 0;
        }

        public RankingParseResult ToResult(OmittedCandidateOrder order, int seed, bool truncated)
        {
            int matched = _ranked.Count;
            var ranking = ImmutableArray.CreateBuilder<int>(_used.Length);
            ranking.AddRange(_ranked);
            for (int i = 0; i < _used.Length; i++)
            {
                if (!_used[i])
                {
                    ranking.Add(i);
                }
            }

            if (order == OmittedCandidateOrder.Shuffled)
            {
                var random = new Random(seed);
                for (int i = ranking.Count - 1; i > matched; i--)
                {
                    int j = random.Next(matched, i + 1);
                    (ranking[i], ranking[j]) = (ranking[j], ranking[i]);
                }
            }

            return new RankingParseResult(ranking.MoveToImmutable(), matched, [.. _unknown], _duplicates, truncated);
        }
    }
}
