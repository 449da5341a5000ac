namespace PromptKit.Tests.Metrics.Tokenization;

public sealed class TokenInternerTests
{
    [Fact]
    public void Intern_RepeatedAndDistinctTokens_GivesDenseStableIds()
    {
        var interner = new TokenInterner();

        int[] ids = [.. new[] { "a", "bb", "a", "ccc", "bb" }.Select(t => interner.Intern(t))];

        ids.Should().Equal(0, 1, 0, 2, 1);
        interner.Count.Should().Be(3);
    }

    [Fact]
    public void Intern_ManyTokens_SurvivesRehashAndBufferGrowth()
    {
        var interner = new TokenInterner();
        string[] tokens = [.. Enumerable.Range(0, 3000).Select(i => "token" + i)];

        int[] first = [.. tokens.Select(t => interner.Intern(t))];
        int[] second = [.. tokens.Select(t => interner.Intern(t))];

        first.Should().Equal(Enumerable.Range(0, 3000));
        second.Should().Equal(first);
    }

    [Fact]
    public void Reset_AfterUse_StartsIdsAgain()
    {
        var interner = new TokenInterner();
        interner.Intern("x");
        interner.Intern("y");

        interner.Reset();
        int id = interner.Intern("y");

        id.Should().Be(0);
        interner.Count.Should().Be(1);
    }
}
