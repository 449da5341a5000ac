using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace PromptKit.Tests.Ranking;

public sealed class RankingParserTests
{
    // Indices:                 0             1               2             3                    4
    private static readonly RankingCandidate[] Movies =
    [
        new("1", "Alien (1979)"),
        new("2", "Aliens (1986)"),
        new("3", "Heat (1995)"),
        new("4", "Matrix, The (1999)"),
        new("5", "Alien vs. Predator (2004)"),
        new("6", "Schindler's List (1993)"),
        new("7", "Good, the Bad and the Ugly, The (1966)"),
        new("8", "Amélie (2001)"),
        new("9", "12 Angry Men (1957)"),
        new("10", "Seven (a.k.a. Se7en) (1995)"),
    ];

    private readonly RankingParser _parser = new();

    [Theory]
    [InlineData("1. Heat (1995)\n2. Alien (1979)\n3. Aliens (1986)", new[] { 2, 0, 1 })]
    [InlineData("1) Heat\n2) Alien\n3) Aliens", new[] { 2, 0, 1 })]
    [InlineData("#1 - Heat\n#2 - Alien\n#3 - Aliens", new[] { 2, 0, 1 })]
    [InlineData("1: [3] Heat\n2: [1] Alien\n3: [2] Aliens", new[] { 2, 0, 1 })]
    [InlineData("(1) Heat\n(2) Alien\n(3) Aliens", new[] { 2, 0, 1 })]
    [InlineData("Rank 1: Heat\nRank 2: Alien\nRank 3: Aliens", new[] { 2, 0, 1 })]
    [InlineData("**1.** **Heat** (1995)\n**2.** **Alien**\n**3.** *Aliens*", new[] { 2, 0, 1 })]
    [InlineData("- Heat\n* Alien\n• Aliens", new[] { 2, 0, 1 })]
    [InlineData("1. Heat\r\n2. Alien\r\n3. Aliens\r\n", new[] { 2, 0, 1 })]
    [InlineData("1st: Heat\n2nd: Alien\n3rd: Aliens", new[] { 2, 0, 1 })]
    public void Parse_ListFormats_ReadsOrder(string answer, int[] expectedPrefix)
    {
        RankingParseResult result = Parse(answer);

        result.Ranking.Take(expectedPrefix.Length).Should().Equal(expectedPrefix);
        result.MatchedCount.Should().Be(expectedPrefix.Length);
        result.Status.Should().Be(RankingParseStatus.Partial);
        result.UnknownItems.Should().BeEmpty();
        result.DuplicateCount.Should().Be(0);
    }

    [Fact]
    public void Parse_PartialList_AppendsOmittedInInputOrder()
    {
        RankingParseResult result = Parse("1. Heat\n2. Amelie");

        result.Ranking.Should().Equal(2, 7, 0, 1, 3, 4, 5, 6, 8, 9);
        result.MatchedCount.Should().Be(2);
        result.OmittedCount.Should().Be(8);
    }

    [Fact]
    public void Parse_CompleteList_StatusComplete()
    {
        string answer = string.Join('\n', Movies.Reverse().Select((m, i) => $"{i + 1}. {m.Title}"));

        RankingParseResult result = Parse(answer);

        result.Status.Should().Be(RankingParseStatus.Complete);
        result.Ranking.Should().Equal(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        result.IsParseFailure.Should().BeFalse();
    }

    [Theory]
    [InlineData("Heat, Alien, Aliens")]
    [InlineData("My ranking: Heat; Alien; Aliens.")]
    [InlineData("Heat | Alien | Aliens")]
    [InlineData("Heat > Alien > Aliens")]
    [InlineData("I would go with Heat first, then Alien, and finally Aliens.")]
    public void Parse_SingleLineLists_ReadsOrder(string answer)
    {
        RankingParseResult result = Parse(answer);

        result.Ranking.Take(3).Should().Equal(2, 0, 1);
        result.MatchedCount.Should().Be(3);
        result.UnknownItems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_IdForms_MatchById()
    {
        RankingParseResult result = Parse("My picks: item 3, then (id: 1), next [2], and #6.");

        result.Ranking.Take(4).Should().Equal(2, 0, 1, 5);
    }

    [Fact]
    public void Parse_NumberedBareIds_MatchById()
    {
        RankingParseResult result = Parse("1. 3\n2. 1\n3. 10");

        result.Ranking.Take(3).Should().Equal(2, 0, 9);
    }

    [Fact]
    public void Parse_CommaSeparatedBareIds_MatchById()
    {
        RankingParseResult result = Parse("3, 1, 10");

        result.Ranking.Take(3).Should().Equal(2, 0, 9);
    }

    [Fact]
    public void Parse_IdConflictsWithTitle_IdWins()
    {
        RankingParseResult result = Parse("1. [1] Heat\n2. [3] Alien");

        result.Ranking.Take(2).Should().Equal(0, 2);
    }

    [Fact]
    public void Parse_ProseAroundNumberedList_IgnoresProseMentions()
    {
        const string answer = """
            Sure! Based on your love of Schindler's List and The Matrix, here is my ranking:

            1. **Heat** (1995) - a tense crime thriller, better paced than Alien.
            2. **Aliens** (1986) - the sequel to Alien.
            3. **Alien vs. Predator** - fun, if lighter than Alien.

            I left out Amélie because it is a romance. Let me know if you want more!
            """;

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(3).Should().Equal(2, 1, 4);
        result.MatchedCount.Should().Be(3);
        result.UnknownItems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_ReasoningBlockBeforeAnswer_OnlyAnswerRead()
    {
        const string answer = "<think>The user likes Alien and Aliens, maybe Amelie too.</think>\nHeat, The Matrix";

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(2).Should().Equal(2, 3);
        result.MatchedCount.Should().Be(2);
    }

    [Fact]
    public void Parse_CandidateListEchoedBeforeNumberedRanking_EchoIgnored()
    {
        const string answer = "Candidates: Alien, Aliens, Heat, The Matrix\n\nRanking:\n1. The Matrix\n2. Heat";

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(2).Should().Equal(3, 2);
        result.MatchedCount.Should().Be(2);
    }

    [Fact]
    public void Parse_InlineNumberedList_ReadsOrderAndUnknowns()
    {
        RankingParseResult result = Parse("1. Heat, 2. Jaws, 3. Alien");

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.UnknownItems.Should().Equal("Jaws");
    }

    [Fact]
    public void Parse_NestedExplanationBullets_AreNotItems()
    {
        const string answer = "1. Heat\n   - Why: you liked Alien\n   - Genre: crime\n2. The Matrix\n   - Why: sci-fi";

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(2).Should().Equal(2, 3);
        result.MatchedCount.Should().Be(2);
        result.UnknownItems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_Duplicates_KeepFirstAndCount()
    {
        RankingParseResult result = Parse("1. Heat\n2. Alien\n3. Heat (1995)\n4. heat");

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.MatchedCount.Should().Be(2);
        result.DuplicateCount.Should().Be(2);
    }

    [Fact]
    public void Parse_UnknownListItems_ReportedAsWritten()
    {
        RankingParseResult result = Parse("1. Heat\n2. **Jaws** (1975)\n3. Alien\n4. The Godfather");

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.UnknownItems.Should().Equal("Jaws (1975)", "The Godfather");
    }

    [Fact]
    public void Parse_UnknownItemInCommaList_Reported()
    {
        RankingParseResult result = Parse("Heat, Jaws, and Alien.");

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.UnknownItems.Should().Equal("Jaws");
    }

    [Fact]
    public void Parse_OneTitlePerLine_UnknownLineReportedButNotChatter()
    {
        RankingParseResult result = Parse("Heat\nAlien\nJaws\nHope this helps!");

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.UnknownItems.Should().Equal("Jaws");
    }

    [Fact]
    public void Parse_JsonArrayOfTitles_ReadsOrder()
    {
        RankingParseResult result = Parse("""["Heat", "Alien", "Jaws", "Aliens"]""");

        result.Ranking.Take(3).Should().Equal(2, 0, 1);
        result.UnknownItems.Should().Equal("Jaws");
    }

    [Fact]
    public void Parse_JsonObjectsInCodeFence_ReadsIdsAndTitles()
    {
        const string answer = """
            Here is the ranking as JSON:
            ```json
            [
              {"id": 3, "title": "Heat"},
              {"id": "4", "title": "The Matrix"},
              {"title": "Amélie"},
            ]
            ```
            """;

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(3).Should().Equal(2, 3, 7);
        result.MatchedCount.Should().Be(3);
    }

    [Fact]
    public void Parse_JsonArrayOfNumbers_MatchesIds()
    {
        RankingParseResult result = Parse("Ranking: [3, 1, 2]");

        result.Ranking.Take(3).Should().Equal(2, 0, 1);
    }

    [Fact]
    public void Parse_NestedJsonObject_FindsInnerArray()
    {
        RankingParseResult result = Parse("""{"ranking": ["Aliens", "Heat"], "reason": "..."}""");

        result.Ranking.Take(2).Should().Equal(1, 2);
    }

    [Theory]
    [InlineData("1. Aliens\n2. Alien", new[] { 1, 0 })]
    [InlineData("1. Alien vs. Predator\n2. Alien\n3. Aliens", new[] { 4, 0, 1 })]
    [InlineData("1. Aliens - the sequel to Alien, better than Heat\n2. Alien", new[] { 1, 0 })]
    [InlineData("Alien vs Predator, Aliens, Alien", new[] { 4, 1, 0 })]
    public void Parse_OverlappingTitles_LongestAndWholeWordMatch(string answer, int[] expectedPrefix)
    {
        RankingParseResult result = Parse(answer);

        result.Ranking.Take(expectedPrefix.Length).Should().Equal(expectedPrefix);
        result.MatchedCount.Should().Be(expectedPrefix.Length);
    }

    [Theory]
    [InlineData("1.   ALIENS!!!\n2. schindlers list", new[] { 1, 5 })]
    [InlineData("1. Schindler’s List\n2. AMELIE", new[] { 5, 7 })]
    [InlineData("1. The Matrix (1999)\n2. Matrix, The", new[] { 3 })]
    [InlineData("1. The Good, the Bad and the Ugly\n2. Heat", new[] { 6, 2 })]
    [InlineData("The Good, the Bad and the Ugly, Heat", new[] { 6, 2 })]
    [InlineData("1. Seven\n2. 12 Angry Men", new[] { 9, 8 })]
    [InlineData("12 Angry Men\nHeat", new[] { 8, 2 })]
    [InlineData("1. \"Heat\"\n2. 'Alien'", new[] { 2, 0 })]
    public void Parse_NormalizationVariants_Match(string answer, int[] expectedPrefix)
    {
        RankingParseResult result = Parse(answer);

        result.Ranking.Take(expectedPrefix.Length).Should().Equal(expectedPrefix);
        result.MatchedCount.Should().Be(expectedPrefix.Length);
    }

    [Fact]
    public void Parse_SameTitleDifferentYears_YearDisambiguatesThenInputOrder()
    {
        RankingCandidate[] candidates = [new("a", "Heat (1995)"), new("b", "Heat (1986)"), new("c", "Alien")];

        RankingParseResult result = _parser.Parse("1. Heat (1986)\n2. Heat\n3. Heat", candidates);

        result.Ranking.Should().Equal(1, 0, 2);
        result.DuplicateCount.Should().Be(1);
    }

    [Fact]
    public void Parse_AlphanumericIds_MatchAnywhere()
    {
        RankingCandidate[] candidates = [new("tt0078748", "Alien"), new("tt0090605", "Aliens"), new("tt0113277", "Heat")];

        RankingParseResult result = _parser.Parse("My order is tt0113277, then tt0078748.", candidates);

        result.Ranking.Should().Equal(2, 0, 1);
        result.MatchedCount.Should().Be(2);
    }

    [Fact]
    public void Parse_MarkdownTable_ReadsRows()
    {
        const string answer = "| Rank | Title |\n|---|---|\n| 1 | Heat |\n| 2 | Alien |";

        RankingParseResult result = Parse(answer);

        result.Ranking.Take(2).Should().Equal(2, 0);
        result.UnknownItems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  ")]
    [InlineData("I'm sorry, but I can't help with ranking these movies.")]
    [InlineData("[[[[[[[[[[ {{{ \"\"\" ]]]")]
    [InlineData("1.\n2.\n3.")]
    public void Parse_NoCandidateNamed_FailsWithInputOrder(string answer)
    {
        RankingParseResult result = Parse(answer);

        result.IsParseFailure.Should().BeTrue();
        result.Status.Should().Be(RankingParseStatus.Failed);
        result.MatchedCount.Should().Be(0);
        result.Ranking.Should().Equal(Enumerable.Range(0, Movies.Length));
        result.UnknownItems.Should().BeEmpty();
    }

    [Fact]
    public void Parse_HallucinatedList_FailsAndReportsUnknowns()
    {
        RankingParseResult result = Parse("1. Jaws\n2. Rocky\n3. Titanic");

        result.IsParseFailure.Should().BeTrue();
        result.UnknownItems.Should().Equal("Jaws", "Rocky", "Titanic");
    }

    [Fact]
    public void Parse_NoCandidates_ReturnsEmptyRanking()
    {
        RankingParseResult result = _parser.Parse("1. Heat", []);

        result.Ranking.Should().BeEmpty();
        result.MatchedCount.Should().Be(0);
        result.UnknownItems.Should().Equal("Heat");
    }

    [Fact]
    public void Parse_AnswerLongerThanLimit_TruncatesAndReports()
    {
        var parser = new RankingParser(new RankingParserOptions { MaxAnswerLength = 20 });

        RankingParseResult result = parser.Parse("1. Heat\n2. Alien\n3. Aliens\n4. Amelie", Movies);

        result.IsTruncated.Should().BeTrue();
        result.Ranking.Take(3).Should().Equal(2, 0, 1);
        result.MatchedCount.Should().Be(2);
    }

    [Fact]
    public void Parse_HugeRepetitiveAnswer_FinishesQuicklyAndStaysValid()
    {
        string line = "1. Alien vs Alien vs Aliens [[[ {\"id\": [ the the the Heat, ";
        string answer = string.Concat(Enumerable.Repeat(line + "\n", 40_000));
        var stopwatch = Stopwatch.StartNew();

        RankingParseResult result = Parse(answer);

        stopwatch.Stop();
        result.IsTruncated.Should().BeTrue();
        result.Ranking.Take(1).Should().Equal(0);
        result.MatchedCount.Should().Be(1);
        result.DuplicateCount.Should().BeGreaterThan(500);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "parsing is linear in the (truncated) answer length");
    }

    [Theory]
    [InlineData('[')]
    [InlineData('\n')]
    [InlineData(',')]
    [InlineData('a')]
    public void Parse_OneCharacterRepeated_FailsQuickly(char c)
    {
        string answer = new(c, 200_000);
        var stopwatch = Stopwatch.StartNew();

        RankingParseResult result = Parse(answer);

        stopwatch.Stop();
        result.IsParseFailure.Should().BeTrue();
        result.IsTruncated.Should().BeTrue();
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Parse_ShuffledOmittedOrder_DeterministicPermutationAfterMatched()
    {
        var parser = new RankingParser(new RankingParserOptions { OmittedOrder = OmittedCandidateOrder.Shuffled, Seed = 42 });

        RankingParseResult first = parser.Parse("1. Heat\n2. Alien", Movies);
        RankingParseResult second = parser.Parse("1. Heat\n2. Alien", Movies);

        first.Ranking.Should().Equal(second.Ranking);
        first.Ranking.Take(2).Should().Equal(2, 0);
        first.Ranking.Skip(2).Should().BeEquivalentTo(new[] { 1, 3, 4, 5, 6, 7, 8, 9 });
        first.Ranking.Skip(2).Should().NotEqual(new[] { 1, 3, 4, 5, 6, 7, 8, 9 }, "seed 42 shuffles the omitted candidates");
    }

    [Fact]
    public void Parse_RandomAnswers_AlwaysReturnPermutation()
    {
        var random = new Random(5);
        string[] fragments = ["1.", "-", "Heat", "Alien", "[3]", ",", ";", "\n", "\"", "[", "]", "{", "}", "Aliens", "id:", "7", " ", "Jaws", "(1995)"];
        for (int i = 0; i < 500; i++)
        {
            string answer = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => fragments[random.Next(fragments.Length)]));

            RankingParseResult result = Parse(answer);

            result.MatchedCount.Should().BeInRange(0, Movies.Length, answer);
        }
    }

    [Fact]
    public void Parse_NullAnswer_ThrowsWithParamName()
    {
        Action act = () => _parser.Parse(null!, Movies);

        act.Should().Throw<ArgumentNullException>().WithParameterName("answer");
    }

    [Fact]
    public void Parse_NullCandidates_ThrowsWithParamName()
    {
        Action act = () => _parser.Parse("1. Heat", null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("candidates");
    }

    [Fact]
    public void Parse_NullCandidateEntry_ThrowsNamingIndex()
    {
        Action act = () => _parser.Parse("1. Heat", [Movies[0], null!]);

        act.Should().Throw<ArgumentException>().WithParameterName("candidates").WithMessage("*index 1*");
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("tt01", "TT01")]
    [InlineData("item-1", "item 1")]
    public void Parse_DuplicateIds_ThrowsNamingBothIndices(string firstId, string secondId)
    {
        Action act = () => _parser.Parse("1. Heat", [new(firstId, "A"), new(secondId, "B")]);

        act.Should().Throw<ArgumentException>().WithParameterName("candidates").WithMessage("*index 0 and 1*");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new RankingParserOptions { MaxAnswerLength = 0, OmittedOrder = (OmittedCandidateOrder)9 };

        Action act = () => _ = new RankingParser(options);

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains(nameof(RankingParserOptions.MaxAnswerLength), StringComparison.Ordinal))
            .And.Contain(f => f.Contains(nameof(RankingParserOptions.OmittedOrder), StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_OptionsChangedLater_ParserUnaffected()
    {
        var options = new RankingParserOptions { MaxAnswerLength = 100 };
        var parser = new RankingParser(options);

        options.MaxAnswerLength = 3;
        RankingParseResult result = parser.Parse("1. Heat", Movies);

        result.IsTruncated.Should().BeFalse();
        result.MatchedCount.Should().Be(1);
    }

    // Ids that no list position (1 to 4) can be.
    private static readonly RankingCandidate[] LargeIds =
    [
        new("296", "Pulp Fiction (1994)"),
        new("318", "Shawshank Redemption, The (1994)"),
        new("2571", "Matrix, The (1999)"),
        new("593", "Silence of the Lambs, The (1991)"),
    ];

    [Theory]
    [InlineData("3, 1, 4, 2", new[] { 2, 0, 3, 1 })]
    [InlineData("[3, 1, 4, 2]", new[] { 2, 0, 3, 1 })]
    [InlineData("3\n1\n4", new[] { 2, 0, 3 })]
    [InlineData("  2; 4.", new[] { 1, 3 })]
    public void Parse_NumbersThatCanOnlyBePositions_ReadsThemAsListPositions(string answer, int[] expectedPrefix)
    {
        RankingParseResult result = _parser.Parse(answer, LargeIds);

        result.IsParseFailure.Should().BeFalse();
        result.MatchedCount.Should().Be(expectedPrefix.Length);
        result.Ranking.Take(expectedPrefix.Length).Should().Equal(expectedPrefix);
    }

    [Theory]
    [InlineData("2571, 296, 318", new[] { 2, 0, 1 })] // ids
    [InlineData("3, 1, 5", null)]                    // 5 is no position of 4 candidates: not positions, and no id
    [InlineData("3, 3, 1", null)]                    // a repeated position: not a position list
    public void Parse_NumbersThatCannotBePositions_AreNotReadAsPositions(string answer, int[]? expectedPrefix)
    {
        RankingParseResult result = _parser.Parse(answer, LargeIds);

        if (expectedPrefix is null)
        {
            result.IsParseFailure.Should().BeTrue();
        }
        else
        {
            result.Ranking.Take(expectedPrefix.Length).Should().Equal(expectedPrefix);
        }
    }

    [Fact]
    public void Parse_NumbersThatMayBeIds_KeepTheIdReading()
    {
        RankingCandidate[] reversed = [new("4", "Heat"), new("3", "Alien"), new("2", "Aliens"), new("1", "Seven")];

        RankingParseResult result = _parser.Parse("1, 2", reversed);

        result.Ranking.Take(2).Should().Equal([3, 2], "1 and 2 are candidate ids, so they are read as ids, not positions");
    }

    private RankingParseResult Parse(string answer)
    {
        RankingParseResult result = _parser.Parse(answer, Movies);
        result.Ranking.Should().BeEquivalentTo(Enumerable.Range(0, Movies.Length), "the ranking is a permutation of all candidates");
        result.Ranking.Take(result.MatchedCount).Should().OnlyHaveUniqueItems();
        return result;
    }
}
